package dev.supervisor.internal;

import dev.supervisor.ProcessExit;
import dev.supervisor.Runner;

/**
 * What {@link Attempts} tells about an ended attempt that needs a next step; implemented by the
 * engine's wiring, which hands it to the {@link RestartScheduler} and the reconcile loop. So
 * exits flow to restarts through this interface, never back through the attempt.
 *
 * <p>Both are called on the ended attempt's thread, after its slot was freed and with no lock held.
 */
interface ExitHandler<K, P extends Runner> {
    /** The attempt ended with no stop asked for; the slot is STOPPED and {@code deciding}: decide what comes next. */
    void endedOnItsOwn(KeySlot<K, P> slot, ProcessAttempt<K, P> attempt, ProcessExit exit);

    /**
     * The attempt was stopped to be started again at once (restart, or its row changed); the slot
     * is STOPPED and {@code deciding}: start the next attempt with the current row.
     */
    void restartRequested(KeySlot<K, P> slot, ProcessAttempt<K, P> attempt);

    /** The attempt was stopped because its row was gone; the row may have come back meanwhile. */
    void retiredEnded(K key);
}
