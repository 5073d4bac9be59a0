package dev.supervisor.internal;

import dev.supervisor.PassReport;
import dev.supervisor.ProcessStatus;
import dev.supervisor.Runner;
import java.time.Instant;

/**
 * Turns a slot's bookkeeping into immutable {@link ProcessStatus} snapshots and hands them, with
 * retirements and pass reports, to the {@link ListenerDispatcher}. The last step of the engine's
 * data flow: nothing here calls back into the engine.
 *
 * <p>Concurrency: {@link #publish} and {@link #retired} are called under the key's slot lock, so
 * each key's events are enqueued in order; enqueueing never blocks, and listeners run on their
 * own threads, outside every lock.
 */
final class StatusPublisher<K> {
    private final ListenerDispatcher<K> events;

    StatusPublisher(ListenerDispatcher<K> events) {
        this.events = events;
    }

    /**
     * Takes a new snapshot of slot's status and tells the listeners, unless nothing in it changed
     * (a key retired while COMPLETED, or an exit decided while closing, keeps its status) or there
     * are none (then not even the comparison is made: at a mass start it is two per key). Caller
     * holds the slot's lock.
     */
    void publish(KeySlot<K, ? extends Runner> slot) {
        ProcessStatus<K> previous = slot.status;
        ProcessStatus<K> next = slot.snapshot();
        if (!events.isEmpty() && !next.equals(previous)) {
            events.statusChanged(next);
        }
    }

    /** Tells the listeners that slot's key left the supervisor, with its last status. Caller holds the slot's lock. */
    void retired(KeySlot<K, ? extends Runner> slot) {
        events.retired(slot.status);
    }

    void passStarted(Instant startedAt, boolean incremental) {
        events.passStarted(startedAt, incremental);
    }

    void passCompleted(PassReport<K> report) {
        events.passCompleted(report);
    }

    /** The listeners' dispatcher, for flushing it at close. */
    ListenerDispatcher<K> dispatcher() {
        return events;
    }
}
