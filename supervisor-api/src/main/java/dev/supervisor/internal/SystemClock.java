package dev.supervisor.internal;

import dev.supervisor.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The real clock. Timers run on one shared daemon thread, scheduled on the monotonic clock, so a
 * wall clock stepping backwards does not delay them; a cancelled timer is removed at once.
 */
public enum SystemClock implements Clock {
    INSTANCE;

    private final ScheduledThreadPoolExecutor timers = newTimerThread();

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public CompletableFuture<Void> after(Duration delay) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        if (delay.isZero() || delay.isNegative()) {
            future.complete(null);
            return future;
        }
        ScheduledFuture<?> task = timers.schedule(() -> future.complete(null), saturatedNanos(delay), TimeUnit.NANOSECONDS);
        future.whenComplete((ignored, failure) -> {
            if (future.isCancelled()) {
                task.cancel(false);
            }
        });
        return future;
    }

    private static long saturatedNanos(Duration delay) {
        try {
            return delay.toNanos();
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    private static ScheduledThreadPoolExecutor newTimerThread() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "supervisor-clock");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
