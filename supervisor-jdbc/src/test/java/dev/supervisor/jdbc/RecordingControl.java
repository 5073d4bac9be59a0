package dev.supervisor.jdbc;

import dev.supervisor.Ownership;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The supervisor's side of the ownership seam, played by a test: records calls; processes "end" at once. */
final class RecordingControl implements Ownership.Control<String> {

    /** A lost() call: the key and the forced-stop deadline (null for the supervisor's own stop timeout). */
    record Lost(String key, Duration forceAfter) {
    }

    final List<String> acquired = new CopyOnWriteArrayList<>();
    final List<Lost> lost = new CopyOnWriteArrayList<>();
    /** Keys whose "process" is running: acquired and not lost since. */
    final Set<String> running = ConcurrentHashMap.newKeySet();

    @Override
    public void acquired(String key) {
        acquired.add(key);
        running.add(key);
    }

    @Override
    public CompletableFuture<Void> lost(String key) {
        lost.add(new Lost(key, null));
        running.remove(key);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> lost(String key, Duration forceAfter) {
        lost.add(new Lost(key, forceAfter));
        running.remove(key);
        return CompletableFuture.completedFuture(null);
    }

    long lostCount(String key) {
        return lost.stream().filter(l -> l.key().equals(key)).count();
    }
}
