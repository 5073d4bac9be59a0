package dev.supervisor;

/**
 * What the supervisor is doing about one key: the state in {@link ProcessStatus}. The first
 * three mirror the {@link ProcessState} of the key's live attempt; the others say why no
 * process is running.
 *
 * <pre>
 *   STARTING -> RUNNING -> STOPPING -> STOPPED (ended, next step being decided, or stopped by stop(key))
 *                                   -> BACKOFF   -> STARTING (restart timer fired)
 *                                                -> BACKOFF  (the row could not be read when due: retried later)
 *                                   -> GIVEN_UP  (restart intensity exceeded; until reset or row re-inserted)
 *                                   -> COMPLETED (restart policy says the exit was final)
 * </pre>
 * A key whose row is deleted leaves the supervisor (see {@link SupervisorListener#retired}).
 */
public enum KeyState {
    /** A process is starting. */
    STARTING,
    /** A process is running. */
    RUNNING,
    /** A process is being stopped. */
    STOPPING,
    /** No process: it ended and its next step is being decided, or it was stopped by {@code stop(key)} and waits for the next pass. */
    STOPPED,
    /** No process: a restart is scheduled at {@link ProcessStatus#nextAttemptAt()}. */
    BACKOFF,
    /** No process: it failed too often within the policy's window; see {@link RestartPolicy#withGiveUp(int, java.time.Duration)}. */
    GIVEN_UP,
    /** No process: its restart policy made the last exit final ({@code ON_FAILURE} after a clean exit, {@code NEVER}). */
    COMPLETED;

    /** True while a process exists for the key (starting, running or stopping). */
    public boolean hasProcess() {
        return this == STARTING || this == RUNNING || this == STOPPING;
    }

    /** The key state that mirrors an attempt's state. */
    public static KeyState of(ProcessState state) {
        return switch (state) {
            case STARTING -> STARTING;
            case RUNNING -> RUNNING;
            case STOPPING -> STOPPING;
            case STOPPED -> STOPPED;
        };
    }
}
