package dev.supervisor;

import java.time.Instant;

/**
 * Receives every status change and every pass's outcome. All methods have no-op defaults.
 *
 * <p><b>Threading.</b> Each listener has its own dispatcher (a virtual thread): its methods are
 * called one at a time, never concurrently with each other, never while the supervisor holds a
 * lock, and in the order the events happened (for one key, the order of its transitions).
 * There is no order across listeners and no replay of events from before registration. A slow
 * listener delays only its own events; one that throws has the exception logged and receives
 * the next event as usual. Supervision never waits for listeners, except that {@code close()}
 * lets each deliver its remaining events within the stop timeout.
 *
 * @param <K> the key type
 */
public interface SupervisorListener<K> {

    /** The key's status changed; {@code status} is the new snapshot. */
    default void statusChanged(ProcessStatus<K> status) {
    }

    /**
     * The supervisor forgot the key: its row is gone (or, in cluster mode, another node took it)
     * and no process runs for it here. {@code last} is its final status. Closing the supervisor
     * retires nothing: its keys end in {@link KeyState#STOPPED}, reported by {@link #statusChanged}.
     */
    default void retired(ProcessStatus<K> last) {
    }

    /**
     * A member of {@code group} ended on its own and the group's strategy restarts
     * {@code members} (in group order, the member that ended among them): the stops and starts
     * that follow are reported by {@link #statusChanged}. Not called for
     * {@link GroupStrategy#ONE_FOR_ONE}, whose restarts are the members' own.
     */
    default void groupRestarting(String group, K exited, java.util.List<K> members) {
    }

    /**
     * {@code group} exceeded its restart intensity: its members (in group order) were stopped and
     * are {@link KeyState#GIVEN_UP} until {@link Supervisor#reset} of one of them.
     */
    default void groupGivenUp(String group, java.util.List<K> members) {
    }

    /** The last member of {@code group} this supervisor knew was retired (or left the group): the group is forgotten. */
    default void groupRetired(String group) {
    }

    /**
     * A reconcile pass began at {@code startedAt} (the supervisor's clock): a full pass, or with
     * {@code incremental} one over the rows changed since the passes before. Its end follows as
     * {@link #passCompleted}, after the status changes of the starts it made.
     */
    default void passStarted(Instant startedAt, boolean incremental) {
    }

    /** A full reconcile pass ended. */
    default void passCompleted(PassReport<K> report) {
    }
}
