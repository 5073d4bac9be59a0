package dev.supervisor;

/**
 * A supervised process: the work a row stands for.
 *
 * <p>The supervisor calls {@link #run(ProcessContext)} exactly once per attempt, on a virtual
 * thread of its own. A restart is a new attempt, with a value read afresh from the table.
 * Interruption of that thread means a forced stop: the graceful stop period ran out, the
 * process was stopped while still starting, or the supervisor is closing.
 */
@FunctionalInterface
public interface Runner {

    /**
     * Runs the process. Call context.ready() once initialised; return to exit.
     * Returning or throwing before ready() is a failed start.
     *
     * @throws Exception any failure; the supervisor records it as the attempt's exit and restarts
     *     the process according to its {@link RestartPolicy}
     */
    void run(ProcessContext context) throws Exception;
}
