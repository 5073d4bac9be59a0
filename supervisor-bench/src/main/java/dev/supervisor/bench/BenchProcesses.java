package dev.supervisor.bench;

import dev.supervisor.ProcessContext;
import dev.supervisor.Runner;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/** The user code the scenarios supervise, one small runner per behaviour. */
final class BenchProcesses {

    private BenchProcesses() {
    }

    /** Becomes RUNNING, counts itself down, then idles until asked to stop. */
    record Idle(CountDownLatch running) implements Runner {
        @Override
        public void run(ProcessContext context) throws InterruptedException {
            context.ready();
            running.countDown();
            context.awaitStop();
        }
    }

    /** Reports to the probe when run() begins and when it ends; idles in between. */
    record Probed(Probe probe) implements Runner {
        @Override
        public void run(ProcessContext context) throws InterruptedException {
            String key = (String) context.key();
            probe.started(key);
            context.ready();
            context.awaitStop();
            probe.ended(key);
        }
    }

    /** Becomes RUNNING, then fails at once: a crash loop, slowed only by the restart policy. */
    record Crashing(LongAdder attempts) implements Runner {
        @Override
        public void run(ProcessContext context) {
            attempts.increment();
            context.ready();
            throw new IllegalStateException("crashing on purpose (benchmark)");
        }
    }

    /**
     * A short-lived execution: reports to the probe that it began (the trivial work), retires
     * through its context ({@link ProcessContext#retire()}: the supervisor deletes the row, batched
     * with others retiring at the same moment), and returns; the key is then retired, not restarted.
     */
    record SelfRetiring(Probe probe) implements Runner {
        @Override
        public void run(ProcessContext context) {
            String key = (String) context.key();
            probe.started(key);
            context.ready();
            context.retire();
        }
    }
}
