package dev.supervisor;

/**
 * The lifecycle of one attempt of a process. Each attempt runs through
 *
 * <pre>
 *   STARTING -&gt; RUNNING   (the runner called ready())
 *            -&gt; STOPPED   (failed start, start timeout, or stopped while starting: no graceful path)
 *   RUNNING  -&gt; STOPPING  (a stop was asked for)
 *            -&gt; STOPPED   (the runner returned or threw with no stop asked for)
 *   STOPPING -&gt; STOPPED   (the thread ended)
 * </pre>
 * ({@link #canBecome} is its table; a test checks this diagram against it.)
 *
 * <p>The transitions form a DAG, so every state is entered at most once per attempt, and a
 * restart is a new attempt that begins again at {@code STARTING}. The ordinal order follows the
 * graph: if an attempt can go from A to B then {@code A.compareTo(B) < 0}.
 */
public enum ProcessState {
    /** The runner was called and has not yet called {@link ProcessContext#ready()}. */
    STARTING,
    /** The runner called {@code ready()} and has not returned; no stop has been asked for. */
    RUNNING,
    /** A stop was asked for (or the runner returned) and the thread has not yet ended. */
    STOPPING,
    /** The attempt's thread has ended. Terminal. */
    STOPPED;

    /** True if an attempt in this state can move to {@code next}: the edges of the graph above. */
    public boolean canBecome(ProcessState next) {
        return switch (this) {
            case STARTING -> next == RUNNING || next == STOPPED;
            case RUNNING -> next == STOPPING || next == STOPPED;
            case STOPPING -> next == STOPPED;
            case STOPPED -> false;
        };
    }

    /** True for {@link #STOPPED}, the only state an attempt never leaves. */
    public boolean isTerminal() {
        return this == STOPPED;
    }
}
