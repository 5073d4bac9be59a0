package dev.supervisor.internal;

import dev.supervisor.KeyState;
import dev.supervisor.Runner;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts asked for through the table ({@link dev.supervisor.Table#requestRestart}): a row
 * carries a counter that grows with each request, and each key's slot keeps the counter of the row
 * its latest attempt started from ({@link KeySlot#restartRequests}, written by
 * {@link OwnershipGate#begin}). A row read with another counter is a new request: a live process
 * is restarted ({@link StopReason#RESTART}: graceful stop, immediate start with the current row,
 * not a failure, backoff untouched), a key without one (in backoff, given up, completed or stopped)
 * is started at once. This holds whatever {@link dev.supervisor.RowUpdates} says, since a request
 * is not an update; a request seen while the process is already stopping to be restarted is
 * served by that restart, whose new attempt reads the row again.
 *
 * <p>Concurrency: called from the reconcile pass and key checks (one thread at a time); each
 * method takes the slot's lock itself. A key never started on this node ({@link #UNSEEN}) has no
 * request to serve: its first start reads the row anyway.
 */
final class RestartRequests<K, P extends Runner> {
    private static final Logger log = LoggerFactory.getLogger(RestartRequests.class);

    /** The slot's counter before its first attempt. */
    static final long UNSEEN = Long.MIN_VALUE;

    /** What a row's counter asks of the caller. */
    enum Outcome {
        /** No new request: go on as usual. */
        NONE,
        /** A new request, served (the process is restarting): nothing else to do with this row. */
        RESTARTING,
        /** A new request for a key without a process: start it now with {@link #startIdle}. */
        START
    }

    private final String name;
    private final Lifecycle lifecycle;
    private final KeySlots<K, P> slots;
    private final OwnershipGate<K, P> gate;
    private final Attempts<K, P> attempts;

    RestartRequests(String name, Lifecycle lifecycle, KeySlots<K, P> slots, OwnershipGate<K, P> gate,
            Attempts<K, P> attempts) {
        this.name = name;
        this.lifecycle = lifecycle;
        this.slots = slots;
        this.gate = gate;
        this.attempts = attempts;
    }

    /**
     * Slot's row carries counter {@code requested}: if it is a new request, asks a live process to
     * restart (and returns {@link Outcome#RESTARTING}) or returns {@link Outcome#START} for a key
     * without one. Takes the slot's lock.
     */
    Outcome take(KeySlot<K, P> slot, long requested) {
        long known = slot.restartRequests;
        if (known == requested || known == UNSEEN) {
            return Outcome.NONE; // a glance; the counter is written under the lock and read again there
        }
        slot.lock.lock();
        try {
            if (slot.removed || slot.deciding || slot.restartRequests == UNSEEN || slot.restartRequests == requested) {
                return Outcome.NONE; // deciding: the exit handler moves the key on, and a later read sees the request
            }
            slot.restartRequests = requested;
            ProcessAttempt<K, P> attempt = slot.attempt;
            if (attempt != null) {
                if (!attempt.stopSignal.isDone()) {
                    log.debug("[{}] a restart of {} was requested through the table; restarting it", name, slot.key);
                    attempts.requestRestart(attempt, StopReason.RESTART);
                }
                return Outcome.RESTARTING;
            }
            return startable(slot.phase()) ? Outcome.START : Outcome.NONE;
        } finally {
            slot.lock.unlock();
        }
    }

    /**
     * Starts key, which {@link #take} found without a process, at once with its row; null if it has
     * one by now, or is paused, or this node may not run it. The start is in the background.
     */
    ProcessAttempt<K, P> startIdle(K key, P value, OptionalLong revision, long requested) {
        return lifecycle.whileStartsAllowed(() -> slots.withSlot(key, slot -> {
            if (slot.attempt != null || slot.deciding || slot.removed || !startable(slot.phase())) {
                return null;
            }
            log.debug("[{}] a restart of {} was requested through the table; starting it now ({})", name, key, slot.phase());
            return gate.begin(slot, value, revision, requested);
        }), () -> null);
    }

    private static boolean startable(KeyState phase) {
        return phase == KeyState.BACKOFF || phase == KeyState.GIVEN_UP || phase == KeyState.COMPLETED
                || phase == KeyState.STOPPED;
    }
}
