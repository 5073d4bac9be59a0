package dev.supervisor;

/**
 * Why the supervisor stopped a process that it then restarts or pauses: carried by a
 * {@link ProcessExit} of kind {@link ProcessExit.Kind#STOPPED} or {@link ProcessExit.Kind#CANCELLED}
 * ({@link ProcessExit#stopCause()}), so listeners see why a process ended and whether a new one
 * follows at once. Exits of the stops that existed before these causes ({@code stop(key)}, a deleted
 * row, a key lost to another node, closing) carry none, as before.
 */
public enum StopCause {
    /** {@link Supervisor#restart}: a new process starts at once with the current row. */
    RESTART,
    /** The row's value changed (see {@link RowUpdates}): a new process starts at once with the new value. */
    ROW_UPDATED,
    /** The row was paused ({@link Supervisor#pause}, or its paused flag set in the table): the key waits in {@link KeyState#PAUSED}. */
    PAUSED,
    /**
     * Another member of the process's group ended on its own: the group's strategy stopped this
     * one, to start it again in group order once the stops are done (or, when the group gave up,
     * to leave it {@link KeyState#GIVEN_UP}). See {@link GroupStrategy}.
     */
    GROUP;

    /** True when a new process is started at once after this stop ({@link #RESTART}, {@link #ROW_UPDATED}); never a failure. */
    public boolean restarts() {
        return this == RESTART || this == ROW_UPDATED;
    }
}
