package dev.supervisor;

import dev.supervisor.testing.InMemoryTable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The core tests' runner doubles: one small runner per behaviour (as in Guava's
 * {@code AbstractServiceTest}), each counting its runs and recording what its context told it.
 */
final class Runners {
    /**
     * Where tests run blocking calls in the background: one virtual thread per task. (The common
     * pool behind {@code supplyAsync} has parallelism 1 on a 2-core machine.)
     */
    static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();

    private Runners() {
    }

    /** What the doubles throw; it names the attempt. Stackless, to keep the test log short. */
    static final class Boom extends RuntimeException {
        Boom(String message) {
            super(message, null, false, false);
        }
    }

    /** What one attempt's {@link ProcessContext} told the runner. */
    record Handover(Object key, int attempt, Optional<ProcessExit> previousExit, long epoch) {
    }

    /** Counts its invocations and records each attempt's handover; subclasses say what an attempt does. */
    abstract static class CountingRunner implements Runner {
        private final AtomicInteger runs = new AtomicInteger();
        private final List<Handover> handovers = new CopyOnWriteArrayList<>();

        @Override
        public final void run(ProcessContext context) throws Exception {
            runs.incrementAndGet();
            handovers.add(new Handover(context.key(), context.attempt(), context.previousExit(), context.epoch()));
            body(context);
        }

        abstract void body(ProcessContext context) throws Exception;

        /** How many times the supervisor called {@link #run}. */
        int runs() {
            return runs.get();
        }

        /** Every attempt's handover, in call order. */
        List<Handover> handovers() {
            return List.copyOf(handovers);
        }
    }

    /** Becomes ready and returns at once: a clean exit. */
    static final class ReturnsCleanly extends CountingRunner {
        @Override
        void body(ProcessContext context) {
            context.ready();
        }
    }

    /** Becomes ready and throws at once: a crash right after startup. */
    static final class FailsInstantly extends CountingRunner {
        @Override
        void body(ProcessContext context) {
            context.ready();
            throw new Boom("attempt " + context.attempt() + " failed");
        }
    }

    /** Returns before calling ready(): a failed start. */
    static final class ReturnsBeforeReady extends CountingRunner {
        @Override
        void body(ProcessContext context) {
        }
    }

    /** Becomes ready, runs for {@code run} on the supervisor's clock, then returns cleanly (at once if stopped). */
    static class ReturnsAfter extends CountingRunner {
        private final Duration run;

        ReturnsAfter(Duration run) {
            this.run = run;
        }

        @Override
        final void body(ProcessContext context) throws InterruptedException {
            context.ready();
            if (!context.awaitStop(run)) {
                ranOut(context);
            }
        }

        /** Called when the run is over with no stop asked for. */
        void ranOut(ProcessContext context) {
        }
    }

    /** Becomes ready, runs for {@code run} on the supervisor's clock, then throws (returns if stopped). */
    static final class FailsAfter extends ReturnsAfter {
        FailsAfter(Duration run) {
            super(run);
        }

        @Override
        void ranOut(ProcessContext context) {
            throw new Boom("attempt " + context.attempt() + " failed after its run");
        }
    }

    /** Attempt n does what the n-th step does; the last step repeats. */
    static final class Scripted extends CountingRunner {
        private final List<CountingRunner> steps;

        Scripted(CountingRunner... steps) {
            this.steps = List.of(steps);
        }

        @Override
        void body(ProcessContext context) throws Exception {
            steps.get(Math.min(context.attempt(), steps.size()) - 1).body(context);
        }
    }

    /**
     * Does what the test tells it, one step at a time, on its own thread: become ready, return,
     * throw. It ignores stop requests (so a test can watch it STOPPING) until told to return; an
     * interrupt ends it.
     */
    static final class Puppet extends CountingRunner {
        /** One instruction; true ends the attempt. */
        private interface Step {
            boolean perform(ProcessContext context) throws Exception;
        }

        private final BlockingQueue<Step> steps = new LinkedBlockingQueue<>();

        @Override
        void body(ProcessContext context) throws Exception {
            while (!steps.take().perform(context)) {
                // next step
            }
        }

        void becomeReady() {
            steps.add(context -> {
                context.ready();
                return false;
            });
        }

        void exit() {
            steps.add(context -> true);
        }

        void fail(Exception error) {
            steps.add(context -> {
                throw error;
            });
        }
    }

    /** Becomes ready, then runs until a graceful stop is asked for; {@link #stopped} counts down when it saw the stop. */
    static final class RunsUntilStopped extends CountingRunner {
        final String name;
        final CountDownLatch stopped = new CountDownLatch(1);

        RunsUntilStopped() {
            this("unnamed");
        }

        RunsUntilStopped(String name) {
            this.name = name;
        }

        @Override
        void body(ProcessContext context) throws InterruptedException {
            context.ready();
            context.awaitStop();
            stopped.countDown();
        }

        @Override
        public String toString() {
            return "RunsUntilStopped[" + name + "]";
        }
    }

    /** Throws before calling ready(): a failed start; by default a {@link Boom} naming the attempt. */
    static final class FailsBeforeReady extends CountingRunner {
        private final RuntimeException failure;

        FailsBeforeReady() {
            this(null);
        }

        FailsBeforeReady(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        void body(ProcessContext context) {
            throw failure != null ? failure : new Boom("attempt " + context.attempt() + " failed to start");
        }
    }

    /** Never calls ready() and ignores stop requests: only an interrupt ends it. */
    static final class BlocksInStartup extends CountingRunner {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);

        @Override
        void body(ProcessContext context) throws InterruptedException {
            entered.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        }
    }

    /** Becomes ready, deletes its own row and returns: it retires itself. */
    static final class RemovesItsOwnRow extends CountingRunner {
        private final InMemoryTable<String, ?> table;

        RemovesItsOwnRow(InMemoryTable<String, ?> table) {
            this.table = table;
        }

        @Override
        void body(ProcessContext context) {
            context.ready();
            table.remove((String) context.key());
        }
    }

    /** Becomes ready, then throws when {@link #crash} is released. */
    static final class CrashesOnSignal extends CountingRunner {
        final CountDownLatch crash = new CountDownLatch(1);
        final CountDownLatch running = new CountDownLatch(1);

        @Override
        void body(ProcessContext context) throws InterruptedException {
            context.ready();
            running.countDown();
            crash.await();
            throw new IllegalStateException("crashed on purpose");
        }
    }

    /** Becomes ready when {@link #proceed} is released, then runs until stopped. */
    static final class ReadyOnSignal extends CountingRunner {
        final CountDownLatch proceed = new CountDownLatch(1);

        @Override
        void body(ProcessContext context) throws InterruptedException {
            proceed.await();
            context.ready();
            context.awaitStop();
        }
    }

    /** Becomes ready, ignores the graceful stop and ends only when interrupted. */
    static final class IgnoresStop extends CountingRunner {
        final CountDownLatch stopSeen = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);

        @Override
        void body(ProcessContext context) throws InterruptedException {
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
    static final class SlowToStop extends CountingRunner {
        final CountDownLatch stopSeen = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        void body(ProcessContext context) throws InterruptedException {
            context.ready();
            context.awaitStop();
            stopSeen.countDown();
            release.await();
        }
    }
}
