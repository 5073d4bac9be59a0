package dev.supervisor.internal;

import dev.supervisor.Ownership;
import dev.supervisor.Runner;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seam to {@link Ownership}: which keys this node may run. Every start passes here
 * ({@link #begin} asks the ownership under the slot's lock, then hands over to {@link Attempts});
 * {@link #lose} is the supervisor's answer when the ownership takes a key away, and an
 * {@code acquired} during such a stop is honoured once it has ended ({@link #checkAgainAfterLostStop}).
 *
 * <p>Concurrency: {@link #begin} runs under the lifecycle read lock and the slot's lock, and the
 * ownership's {@code tryAcquire} is called there, so the ownership must not call back into the
 * supervisor while holding a lock of its own that {@code tryAcquire} takes. {@link #lose} takes
 * the slot's lock. {@link #mayRun} is a glance without any lock, asked again in {@link #begin}.
 */
final class OwnershipGate<K, P extends Runner> {
    private static final Logger log = LoggerFactory.getLogger(OwnershipGate.class);

    private final String name;
    private final Ownership<K> ownership;
    private final KeySlots<K, P> slots;
    private final Attempts<K, P> attempts;
    private final Duration stopTimeout;

    OwnershipGate(String name, Ownership<K> ownership, KeySlots<K, P> slots, Attempts<K, P> attempts, Duration stopTimeout) {
        this.name = name;
        this.ownership = ownership;
        this.slots = slots;
        this.attempts = attempts;
        this.stopTimeout = stopTimeout;
    }

    /** Opens the ownership; {@code acquired} is told of keys it gains (the loop then checks them). */
    void open(Consumer<K> acquired) {
        ownership.open(new Control(acquired));
    }

    /** A glance: may this node run key now? Asked again under the key's lock by {@link #begin}. */
    boolean mayRun(K key) {
        return ownership.tryAcquire(key).isPresent();
    }

    void close() {
        try {
            ownership.close();
        } catch (RuntimeException e) {
            log.warn("[{}] ownership failed to close", name, e);
        }
    }

    /**
     * Asks the ownership for the slot's key and, if this node owns it, creates and starts an
     * attempt with its epoch; null if the key is not this node's. Caller holds the lifecycle read
     * lock (starts allowed) and the slot's lock.
     *
     * <p>Asking under the slot's lock is what makes {@link Ownership.Control#lost} reliable: an
     * ownership drops a key first and then calls {@code lost}, whose {@link #lose} takes this
     * same lock. So a start that still saw the key owned has created its attempt (in a slot that
     * is in the map) before {@code lose} looks, and is stopped by it; a start that asks later
     * gets no epoch. Asked before taking the lock, the answer could go stale in between and a
     * process would start after {@code lost} had reported the key stopped.
     */
    ProcessAttempt<K, P> begin(KeySlot<K, P> slot, P value, OptionalLong revision, long restartRequests) {
        OptionalLong epoch = ownership.tryAcquire(slot.key, slot.membership);
        if (epoch.isEmpty()) {
            return null;
        }
        slot.restartRequests = restartRequests;
        return attempts.begin(slot, value, revision, epoch.getAsLong());
    }

    /**
     * Another node took key, or may take it soon: stop it here and forget it. The process is
     * interrupted after the stop timeout, or after {@code forceAfter} if that is sooner.
     */
    private CompletableFuture<Void> lose(K key, Duration forceAfter) {
        KeySlot<K, P> slot = slots.get(key);
        if (slot == null) {
            return CompletableFuture.completedFuture(null);
        }
        slot.lock.lock();
        try {
            if (slot.removed) {
                return CompletableFuture.completedFuture(null);
            }
            ProcessAttempt<K, P> attempt = slot.attempt;
            if (attempt != null) {
                attempts.requestStop(attempt, StopReason.LOST);
                if (forceAfter.compareTo(stopTimeout) < 0) {
                    attempts.forceWithin(attempt, forceAfter);
                }
                return attempt.ended;
            }
            slots.forget(slot, false);
            return CompletableFuture.completedFuture(null);
        } finally {
            slot.lock.unlock();
        }
    }

    /**
     * The rule for an {@code acquired(key)} that comes while key's process is still stopping
     * because the key was lost (the ownership took the key away and has it again: a cluster
     * node's safety stop lifted by a timely heartbeat, a lease claimed again): the key is checked
     * once more when that process has ended. The check {@code acquired} asks for now finds the
     * process still there and starts nothing, and the lost stop forgets the key when it ends, so
     * without this second check nothing would start the key until a full pass, although this
     * node may run it. The second check starts it only if the ownership still says so then.
     */
    private void checkAgainAfterLostStop(K key, Consumer<K> check) {
        KeySlot<K, P> slot = slots.get(key);
        if (slot == null) {
            return;
        }
        CompletableFuture<Void> ended;
        slot.lock.lock();
        try {
            ProcessAttempt<K, P> attempt = slot.attempt;
            if (slot.removed || attempt == null || attempt.stopReason != StopReason.LOST) {
                return;
            }
            ended = attempt.ended; // completed after the slot was forgotten
        } finally {
            slot.lock.unlock();
        }
        ended.thenRun(() -> check.accept(key));
    }

    /** The supervisor's side of the ownership seam. */
    private final class Control implements Ownership.Control<K> {
        private final Consumer<K> acquired;

        Control(Consumer<K> acquired) {
            this.acquired = acquired;
        }

        @Override
        public void acquired(K key) {
            acquired.accept(key);
            checkAgainAfterLostStop(key, acquired);
        }

        @Override
        public CompletableFuture<Void> lost(K key) {
            return lose(key, stopTimeout);
        }

        @Override
        public CompletableFuture<Void> lost(K key, Duration forceAfter) {
            return lose(key, Objects.requireNonNull(forceAfter, "forceAfter"));
        }
    }
}
