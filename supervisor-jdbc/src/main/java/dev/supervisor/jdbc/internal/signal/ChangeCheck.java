package dev.supervisor.jdbc.internal.signal;



/**
 * One way of noticing changes to a table, run by {@link ChangeLogPoller} one check at a time
 * on its thread: {@link ChangeLogCheck} (exact, for tables whose triggers log their changes) or
 * {@link RevisionCheck} (row count and highest revision, for tables without them).
 */
interface ChangeCheck {

    /**
     * Reads what changed since the last check and reports it to the setup's sink. The first check,
     * and the first after {@link #reset}, reports {@code tableChanged} (changes before it are unknown).
     *
     * @param timerPoll true for a check of the poll timer, false for one a wakeup asked for
     * @throws RuntimeException if the database fails; the poller then calls {@link #reset}
     */
    void run(boolean timerPoll);

    /** Forgets what was seen: the next check starts over. */
    void reset();

    /** True if the last check ran on a connection local to the database (see {@link ChangeLog#hostedHere}). */
    default boolean hostedHere() {
        return false;
    }

    /** True while a change this JVM's trigger announced ({@link #awaken}) has not been read yet. */
    default boolean awaiting() {
        return false;
    }

    /** The trigger logged change {@code id} (maybe not committed yet). */
    default void awaken(long id) {
    }
}
