package dev.supervisor;

import dev.supervisor.internal.SystemClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The supervisor's only source of time: every interval, wait, backoff and timeout goes through
 * it, so tests can drive time with {@link dev.supervisor.testing.ManualClock}. Implementations
 * are thread-safe.
 */
public interface Clock {

    /** The real clock: wall time for {@link #now()}, the monotonic clock for timers. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }

    /** The current instant. */
    Instant now();

    /**
     * A future completed once delay has passed on this clock. Cancelling it discards the timer.
     * A zero or negative delay gives a completed future. Dependent actions may run on the
     * clock's timer thread: keep them short and non-blocking.
     */
    CompletableFuture<Void> after(Duration delay);

    /**
     * A future completed once this clock reaches {@code due}; a due instant already reached gives a
     * completed future. Cancelling it discards the timer. The default measures the delay from
     * {@link #now()}; clocks that can do better (a {@code ManualClock}) fire exactly at {@code due}.
     */
    default CompletableFuture<Void> at(Instant due) {
        return after(Duration.between(now(), due));
    }

    /**
     * Waits until {@code future} completes (normally, exceptionally or by cancellation) or
     * {@code bound} passes on this clock, whichever is first. The project's one bounded wait: the
     * deadline is a timer of this clock, so a {@link dev.supervisor.testing.ManualClock} drives it.
     *
     * @return true if the future completed, false if the bound passed first
     * @throws InterruptedException if the waiting thread is interrupted
     */
    default boolean awaitWithin(CompletableFuture<?> future, Duration bound) throws InterruptedException {
        if (future.isDone()) {
            return true;
        }
        CompletableFuture<Void> deadline = after(bound);
        try {
            CompletableFuture.anyOf(future, deadline).get();
        } catch (ExecutionException | CancellationException e) {
            // the future failed or was cancelled: it is done, which is all this wait is about
        } finally {
            deadline.cancel(false);
        }
        return future.isDone();
    }
}
