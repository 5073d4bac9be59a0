package dev.supervisor.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts the supervisor's virtual threads and remembers them until they end, so that
 * {@code close()} can leave none behind. Thread-safe.
 *
 * <p>A set of threads rather than a counter: {@code close()} joins the threads themselves, since
 * a counter decremented at the end of a thread's body would let close() return while that
 * thread is still terminating.
 */
final class ThreadTracker {
    private final Set<Thread> live = ConcurrentHashMap.newKeySet();

    /** Starts {@code body} on a new virtual thread named {@code name}. */
    Thread start(String name, Runnable body) {
        Thread thread = Thread.ofVirtual().name(name).unstarted(() -> {
            try {
                body.run();
            } finally {
                live.remove(Thread.currentThread());
            }
        });
        live.add(thread);
        thread.start();
        return thread;
    }

    /** True if the calling thread is one of ours. */
    boolean isCurrentThreadTracked() {
        return live.contains(Thread.currentThread());
    }

    /** Waits until every tracked thread, including any started meanwhile, has ended. */
    void awaitAll() {
        boolean interrupted = false;
        while (!live.isEmpty()) {
            for (Thread thread : live.toArray(Thread[]::new)) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    int size() {
        return live.size();
    }
}
