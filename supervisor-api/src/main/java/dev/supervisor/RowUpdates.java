package dev.supervisor;

/** What a supervisor does when a running key's row changes its value (see {@link Supervisor.Builder#onRowUpdate}). */
public enum RowUpdates {
    /**
     * The default: the process is stopped gracefully and a new one started at once with the new
     * value (its exit carries {@link StopCause#ROW_UPDATED}; not a failure, backoff untouched).
     * A change is seen through {@link Cursor#revision()} and {@link Table#row}; tables that report
     * no revision never signal an update.
     */
    RESTART,
    /** Updates are not applied to running processes (for runners that read their row themselves); a later start uses the new value. */
    IGNORE
}
