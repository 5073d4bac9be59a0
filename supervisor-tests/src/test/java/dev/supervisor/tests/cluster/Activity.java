package dev.supervisor.tests.cluster;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * What the workers of the in-JVM nodes did, on this JVM's monotonic clock: which node runs each
 * key right now, every start and end, and the most nodes that ever ran one key at once.
 */
final class Activity {

    /** A worker started or ended. */
    record Event(String key, String node, long epoch, boolean start, long nanos) {
    }

    private final Map<String, Set<String>> runningOn = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private final AtomicInteger stopsSeen = new AtomicInteger();

    void started(String key, String node, long epoch) {
        events.add(new Event(key, node, epoch, true, System.nanoTime()));
        Set<String> nodes = runningOn.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
        nodes.add(node);
        mostAtOnce.accumulateAndGet(nodes.size(), Math::max);
    }

    /** A worker saw its stop and begins to finish. */
    void stopSeen(String key, String node) {
        stopsSeen.incrementAndGet();
    }

    /** How many workers saw their stop so far. */
    int stopsSeen() {
        return stopsSeen.get();
    }

    void ended(String key, String node) {
        runningOn.getOrDefault(key, Set.of()).remove(node);
        events.add(new Event(key, node, -1, false, System.nanoTime()));
    }

    /** The most nodes that ran one key at the same time, over the whole test. */
    int mostAtOnce() {
        return mostAtOnce.get();
    }

    /** Keys running on node now. */
    Set<String> keysOn(String node) {
        return runningOn.entrySet().stream().filter(e -> e.getValue().contains(node)).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    /** Keys running anywhere now, with the number of nodes running each. */
    Map<String, Integer> running() {
        return runningOn.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size()));
    }

    /** Every event so far, in order of recording. */
    List<Event> events() {
        return List.copyOf(events);
    }
}
