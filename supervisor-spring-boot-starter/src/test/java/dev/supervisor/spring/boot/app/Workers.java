package dev.supervisor.spring.boot.app;

import dev.supervisor.ProcessContext;
import dev.supervisor.Runner;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The test application's processes: each key's worker is in {@link #running()} from ready() until it returns. */
public final class Workers {

    private final Set<String> running = ConcurrentHashMap.newKeySet();

    /** A worker for key that runs until asked to stop; one whose key begins with {@code fail} throws once it is running. */
    public Worker worker(String key) {
        return new Worker(key);
    }

    /** Keys whose worker runs now. */
    public Set<String> running() {
        return Set.copyOf(running);
    }

    /** The test application's process type. */
    public final class Worker implements Runner {
        private final String key;

        Worker(String key) {
            this.key = key;
        }

        @Override
        public void run(ProcessContext context) throws InterruptedException {
            context.ready(); // RUNNING from here: running() never shows a worker still starting
            if (key.startsWith("fail")) {
                throw new IllegalStateException("the queue of " + key + " is gone");
            }
            running.add(key);
            try {
                context.awaitStop();
            } finally {
                running.remove(key);
            }
        }
    }
}
