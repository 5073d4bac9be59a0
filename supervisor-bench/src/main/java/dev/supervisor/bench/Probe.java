package dev.supervisor.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where user code reports, with {@link System#nanoTime()}, that a key's code began or ended. The
 * harness says which event it waits for before causing it, then collects the time.
 */
final class Probe {

    private final ConcurrentHashMap<String, CompletableFuture<Long>> starts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Long>> ends = new ConcurrentHashMap<>();

    /** Announces that the harness will wait for key's code to begin. */
    CompletableFuture<Long> expectStart(String key) {
        return starts.computeIfAbsent(key, k -> new CompletableFuture<>());
    }

    /** Announces that the harness will wait for key's code to end. */
    CompletableFuture<Long> expectEnd(String key) {
        return ends.computeIfAbsent(key, k -> new CompletableFuture<>());
    }

    /** Called by user code as it begins. */
    void started(String key) {
        long now = System.nanoTime();
        CompletableFuture<Long> expected = starts.remove(key);
        if (expected != null) {
            expected.complete(now);
        }
    }

    /** Called by user code as it ends. */
    void ended(String key) {
        long now = System.nanoTime();
        CompletableFuture<Long> expected = ends.remove(key);
        if (expected != null) {
            expected.complete(now);
        }
    }

    /** Something the harness does that should cause an event. */
    @FunctionalInterface
    interface Cause {
        void run() throws Exception;
    }

    /** Nanoseconds from just before {@code cause} runs until {@code event} happens (at most 10 s). */
    static long timeUntil(CompletableFuture<Long> event, String what, Cause cause) throws Exception {
        long before = System.nanoTime();
        cause.run();
        return await(event, what) - before;
    }

    /** The time an expected event happened, waiting at most 10 s for it. */
    static long await(CompletableFuture<Long> event, String what) throws InterruptedException {
        try {
            return event.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " did not happen within 10 s", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed", e.getCause());
        }
    }
}
