package dev.supervisor;

/**
 * What the supervisor is doing about one key: the state in {@link ProcessStatus}. The first
 * three mirror the {@link ProcessState} of the key's live attempt; the others say why no
 * process is running.
 *
 * <p>The graph ({@link #canBecome} is its table; a test checks this diagram against it):
 * <pre>
 *   STARTING  -&gt; RUNNING    (the runner called ready())
 *             -&gt; STOPPED    (failed start, start timeout, or stopped while starting)
 *   RUNNING   -&gt; STOPPING   (a stop was asked for)
 *             -&gt; STOPPED    (the runner returned or threw on its own)
 *   STOPPING  -&gt; STOPPED    (the process ended)
 *   STOPPED   -&gt; STARTING   (a pass, a change signal or start(key) started it)
 *             -&gt; BACKOFF    (it ended on its own; the restart policy restarts it after a delay)
 *             -&gt; GIVEN_UP   (restart intensity exceeded; until reset or row re-inserted)
 *             -&gt; COMPLETED  (the restart policy says the exit was final)
 *             -&gt; PAUSED     (its row is paused)
 *             -&gt; INVALID    (its row cannot be decoded)
 *   BACKOFF   -&gt; STARTING   (the restart timer fired, or start(key))
 *             -&gt; BACKOFF    (the table could not be read when due: retried later)
 *             -&gt; STOPPED    (reset(key), the supervisor closing, or the key retired)
 *             -&gt; PAUSED     (its row is paused)
 *             -&gt; INVALID    (its row cannot be decoded)
 *   GIVEN_UP  -&gt; STARTING   (start(key))
 *             -&gt; STOPPED    (reset(key))
 *             -&gt; PAUSED     (its row is paused)
 *             -&gt; INVALID    (its row cannot be decoded)
 *   COMPLETED -&gt; STARTING   (start(key))
 *             -&gt; STOPPED    (reset(key))
 *             -&gt; PAUSED     (its row is paused)
 *             -&gt; INVALID    (its row cannot be decoded)
 *   PAUSED    -&gt; STARTING   (its row was resumed)
 *             -&gt; INVALID    (its row cannot be decoded)
 *   INVALID   -&gt; STARTING   (its row was fixed: it decodes again)
 *             -&gt; INVALID    (its row changed and still cannot be decoded: a new reason)
 *             -&gt; PAUSED     (its row is paused)
 *             -&gt; STOPPED    (reset(key))
 * </pre>
 * A paused key's process is stopped first (RUNNING -&gt; STOPPING -&gt; STOPPED -&gt; PAUSED).
 * A key whose row is deleted leaves the supervisor (see {@link SupervisorListener#retired}).
 * A key becomes INVALID only while no process runs for it: a running process whose row is
 * updated to a value that cannot be decoded keeps running with the value it started from (the
 * update is skipped and reported in the {@link PassReport}).
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
    COMPLETED,
    /**
     * No process: its row is paused ({@link Supervisor#pause}, {@link Cursor#paused()}); the key
     * keeps its status and starts again when the row is resumed.
     */
    PAUSED,
    /**
     * No process: its row exists but its value cannot be decoded ({@link Cursor#value()} or
     * {@link Table#row} threw a {@link TableException} naming the key); the reason is in
     * {@link ProcessStatus#invalidReason()}. The key starts as soon as its row decodes again, and
     * leaves the supervisor when its row is deleted.
     */
    INVALID;

    /** True while a process exists for the key (starting, running or stopping). */
    public boolean hasProcess() {
        return this == STARTING || this == RUNNING || this == STOPPING;
    }

    /**
     * True if a key in this state can move to {@code next}: the edges of the graph above. The
     * supervisor checks every move of a key against it.
     */
    public boolean canBecome(KeyState next) {
        return switch (this) {
            case STARTING -> next == RUNNING || next == STOPPED;
            case RUNNING -> next == STOPPING || next == STOPPED;
            case STOPPING -> next == STOPPED;
            case STOPPED -> next == STARTING || next == BACKOFF || next == GIVEN_UP || next == COMPLETED || next == PAUSED
                    || next == INVALID;
            case BACKOFF -> next == STARTING || next == BACKOFF || next == STOPPED || next == PAUSED || next == INVALID;
            case GIVEN_UP, COMPLETED -> next == STARTING || next == STOPPED || next == PAUSED || next == INVALID;
            case PAUSED -> next == STARTING || next == INVALID;
            case INVALID -> next == STARTING || next == INVALID || next == PAUSED || next == STOPPED;
        };
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
