package dev.supervisor;

import dev.supervisor.testing.InMemoryTable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Named runner doubles for the core tests, one per behaviour. */
final class Runners {
    /**
     * Where tests run blocking calls in the background: one virtual thread per task. (The common
     * pool behind {@code supplyAsync} has parallelism 1 on a 2-core machine.)
     */
    static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();

    private Runners() {
    }

    /** Becomes ready, then runs until a graceful stop is asked for. Counts its runs. */
    static final class RunsUntilStopped implements Runner {
        final String name;
        final AtomicInteger runs = new AtomicInteger();
        final CountDownLatch stopped = new CountDownLatch(1);

        RunsUntilStopped(String name) {
            this.name = name;
        }

        @Override
        public void run(ProcessContext context) throws InterruptedException {
            runs.incrementAndGet();
            context.ready();
            context.awaitStop();
            stopped.countDown();
        }

        @Override
        public String toString() {
            return "RunsUntilStopped[" + name + "]";
        }
    }

    /** Throws before calling ready(). */
    static final class FailsBeforeReady implements Runner {
        final RuntimeException failure;

        FailsBeforeReady(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public void run(ProcessContext context) {
            throw failure;
        }
    }

    /** Becomes ready, then throws when {@link #crash} is released. */
    static final class CrashesOnSignal implements Runner {
        final CountDownLatch crash = new CountDownLatch(1);
        final CountDownLatch running = new CountDownLatch(1);

        @Override
        public void run(ProcessContext context) throws InterruptedException {
            context.ready();
            running.countDown();
            crash.await();
            throw new IllegalStateException("crashed on purpose");
        }
    }

    /** Never becomes ready: blocks in startup until interrupted. */
    static final class BlocksInStartup implements Runner {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);

        @Override
        public void run(ProcessContext context) throws InterruptedException {
            entered.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        }
    }

    /** Becomes ready when {@link #proceed} is released. */
    static final class ReadyOnSignal implements Runner {
        final CountDownLatch proceed = new CountDownLatch(1);

        @Override
        public void run(ProcessContext context) throws InterruptedException {
            proceed.await();
            context.ready();
            context.awaitStop();
        }
    }

    /** Becomes ready, ignores the graceful stop and ends only when interrupted. */
    static final class IgnoresStop implements Runner {
        final CountDownLatch stopSeen = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);

        @Override
        public void run(ProcessContext context) throws InterruptedException {
            context.ready();
            context.awaitStop();
            stopSeen.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        }
    }

    /** Becomes ready, holds a stop until {@link #release} is counted down, then ends. */
    static final class SlowToStop implements Runner {
        final CountDownLatch stopSeen = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public void run(ProcessContext context) throws InterruptedException {
            runs.incrementAndGet();
            context.ready();
            context.awaitStop();
            stopSeen.countDown();
            release.await();
        }
    }

    /** Becomes ready, deletes its own row, and returns: it retires itself. */
    static final class RetiresItself implements Runner {
        final InMemoryTable<String, Runner> table;
        final AtomicInteger runs = new AtomicInteger();

        RetiresItself(InMemoryTable<String, Runner> table) {
            this.table = table;
        }

        @Override
        public void run(ProcessContext context) {
            runs.incrementAndGet();
            context.ready();
            table.remove((String) context.key());
        }
    }
}
