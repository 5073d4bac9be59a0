package dev.supervisor.tests.jdbc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** What the test workers did: starts per key, and how many ran at the same time per key. */
final class Runs {

    private final Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> live = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> mostAtOnce = new ConcurrentHashMap<>();
    private final Map<String, Long> firstStartNanos = new ConcurrentHashMap<>();

    void started(String key) {
        starts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        firstStartNanos.putIfAbsent(key, System.nanoTime());
        int now = live.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        mostAtOnce.computeIfAbsent(key, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    }

    void ended(String key) {
        live.get(key).decrementAndGet();
    }

    int starts(String key) {
        AtomicInteger count = starts.get(key);
        return count == null ? 0 : count.get();
    }

    int keysStarted() {
        return starts.size();
    }

    /** The largest number of starts of any key. */
    int mostStartsOfAnyKey() {
        return starts.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
    }

    /** The largest number of workers of one key that ever ran at once. */
    int mostAtOnceOfAnyKey() {
        return mostAtOnce.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
    }

    /** System.nanoTime() when key's worker first started, or null. */
    Long firstStartNanos(String key) {
        return firstStartNanos.get(key);
    }
}
