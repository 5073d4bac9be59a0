package dev.supervisor.internal;

import dev.supervisor.KeyState;
import dev.supervisor.Ownership;
import dev.supervisor.ProcessStatus;
import dev.supervisor.Runner;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's map of keys to {@link KeySlot}s, and the pass generations that date them.
 *
 * <p>Concurrency: a slot enters the map in {@link #withSlot} and leaves it only in
 * {@link #forget} or when {@link #withSlot} created it for nothing; in both places, under the
 * slot's lock, {@code removed} is set exactly when it leaves the map. Readers that find a removed
 * slot look the key up afresh. Lookups ({@link #get}, {@link #keys}, {@link #statuses}) take no
 * lock and read the slots' volatile fields.
 */
final class KeySlots<K, P extends Runner> {
    private static final Logger log = LoggerFactory.getLogger(KeySlots.class);

    private final String name;
    private final ConcurrentHashMap<K, KeySlot<K, P>> slots = new ConcurrentHashMap<>();
    private final AtomicLong passGeneration = new AtomicLong();
    /** Counts forgets; a reader marks it before reading a row (see {@link #forgottenSince}). */
    private final AtomicLong forgets = new AtomicLong();
    /**
     * Counts slots leaving the map, forgotten or dropped unused; incremented before the slot
     * leaves, so that whoever sees the map smaller sees the count grown (see {@link #everySlotSeen}).
     */
    private final AtomicLong departures = new AtomicLong();
    /** Each recently forgotten key with the count of its forget (entries older than a pass's start are dropped). */
    private final ConcurrentHashMap<K, Long> forgottenAt = new ConcurrentHashMap<>();
    private final StatusPublisher<K> statuses;
    private final Ownership<K> ownership;
    /** Told of every slot that leaves the map, under its lock (its group forgets it). */
    private volatile Consumer<KeySlot<K, P>> leaving = slot -> { };

    KeySlots(String name, StatusPublisher<K> statuses, Ownership<K> ownership) {
        this.name = name;
        this.statuses = statuses;
        this.ownership = ownership;
    }

    /** Sets what is told of every slot leaving the map (under its lock); set once by the engine's wiring. */
    void onLeaving(Consumer<KeySlot<K, P>> hook) {
        this.leaving = hook;
    }

    /**
     * Begins a pass: its generation, newer than every slot that exists now. Forgets from before
     * it are dropped: the pass's cursor and every later read see their rows gone.
     */
    long nextGeneration() {
        long before = forgets.get();
        forgottenAt.values().removeIf(forgotten -> forgotten <= before);
        return passGeneration.incrementAndGet();
    }

    /** A mark to take before reading rows; see {@link #forgottenSince}. */
    long forgetMark() {
        return forgets.get();
    }

    /**
     * True if key was forgotten after {@code mark} was taken: a row read since the mark (a cursor
     * page, a single-key read) may predate the row's deletion, so it must be read afresh before a
     * start. Readers run on the reconcile loop's thread, as {@link #nextGeneration} does.
     */
    boolean forgottenSince(K key, long mark) {
        Long forgotten = forgottenAt.get(key);
        return forgotten != null && forgotten > mark;
    }

    /** A mark to take when a pass begins; see {@link #everySlotSeen}. */
    long departureMark() {
        return departures.get();
    }

    /**
     * True if the pass that took {@code departureMark} after its generation began has seen (through
     * {@link KeySlot#markSeen}) every slot now in the map: {@code seen} distinct slots were marked,
     * none has left the map since, and the map holds no more than them. Its sweep would then find
     * nothing to retire, so it need not walk the slots. False when in doubt (a slot left, or one
     * was created that the pass did not see); a slot created while this runs counts as the sweep's
     * weakly consistent walk would. Pass thread only.
     */
    boolean everySlotSeen(long departureMark, int seen) {
        int size = slots.size();
        return departures.get() == departureMark && size == seen;
    }

    /** Key's slot, or null if the supervisor knows nothing of it. */
    KeySlot<K, P> get(K key) {
        return slots.get(key);
    }

    /** Every slot now in the map (weakly consistent). */
    Collection<KeySlot<K, P>> all() {
        return slots.values();
    }

    int size() {
        return slots.size();
    }

    /** Keys that have a process (starting, running or stopping). */
    Set<K> keys() {
        Set<K> keys = new HashSet<>();
        slots.forEach((key, slot) -> {
            if (slot.attempt != null) {
                keys.add(key);
            }
        });
        return keys;
    }

    Optional<ProcessStatus<K>> status(K key) {
        KeySlot<K, P> slot = slots.get(key);
        return slot == null ? Optional.empty() : Optional.ofNullable(slot.status);
    }

    Map<K, ProcessStatus<K>> statuses() {
        Map<K, ProcessStatus<K>> all = new LinkedHashMap<>();
        slots.forEach((key, slot) -> {
            ProcessStatus<K> status = slot.status;
            if (status != null) {
                all.put(key, status);
            }
        });
        return all;
    }

    /**
     * Runs {@code action} on key's slot, locked, creating the slot if needed. A slot created for
     * nothing (the action threw or started nothing) is dropped again.
     */
    <T> T withSlot(K key, Function<KeySlot<K, P>, T> action) {
        while (true) {
            KeySlot<K, P> slot = slots.computeIfAbsent(key, k -> new KeySlot<>(k, passGeneration.get()));
            slot.lock.lock();
            try {
                if (slot.removed) {
                    continue;
                }
                try {
                    return action.apply(slot);
                } finally {
                    if (slot.vacant()) {
                        leaving.accept(slot);
                        slot.removed = true;
                        departures.incrementAndGet();
                        slots.remove(key, slot);
                    }
                }
            } finally {
                slot.lock.unlock();
            }
        }
    }

    /**
     * Removes a slot without a process from the map and reports it retired; with {@code release},
     * tells the ownership this node is done with the key. Caller holds the slot's lock.
     */
    void forget(KeySlot<K, P> slot, boolean release) {
        slot.cancelRestart();
        slot.deciding = false;
        slot.removed = true;
        forgottenAt.put(slot.key, forgets.incrementAndGet()); // before it leaves the map: whoever misses the slot sees this
        departures.incrementAndGet();
        slots.remove(slot.key, slot);
        if (slot.phase().hasProcess() || slot.phase() == KeyState.BACKOFF) {
            slot.moveTo(KeyState.STOPPED);
        }
        statuses.publish(slot);
        statuses.retired(slot);
        leaving.accept(slot);
        if (release) {
            try {
                ownership.release(slot.key);
            } catch (RuntimeException e) {
                log.warn("[{}] ownership failed to release {}", name, slot.key, e);
            }
        }
        log.debug("[{}] retired {}", name, slot.key);
    }
}
