package dev.supervisor;

import dev.supervisor.internal.SystemClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

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
}
