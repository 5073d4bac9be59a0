package dev.supervisor;

import java.time.Duration;
import java.util.Optional;

/**
 * What a running process knows about itself and how it is told to stop. One context per attempt;
 * its methods are thread-safe.
 */
public interface ProcessContext {

    /** Marks the process RUNNING; the start(key) call that started it returns. Later calls do nothing. */
    void ready();

    /** True once a graceful stop was asked for (stop(key), row deleted, supervisor closing). */
    boolean stopRequested();

    /** Blocks until a graceful stop is asked for. */
    void awaitStop() throws InterruptedException;

    /** Like awaitStop, bounded; true if a stop was asked for. The bound is measured on the supervisor's {@link Clock}. */
    boolean awaitStop(Duration timeout) throws InterruptedException;

    /** The key this process runs for. */
    Object key();

    /**
     * The key this process runs for, as the supervisor's key type: {@code context.key(String.class)}
     * lets a worker that retires itself write {@code table.remove(context.key(String.class))}.
     *
     * @throws ClassCastException if the key is not a {@code type}
     */
    default <T> T key(Class<T> type) {
        return type.cast(key());
    }

    /** This attempt's number for the key: 1 on the first start, incremented on every restart. */
    int attempt();

    /** How the previous attempt for this key ended; empty on the first attempt. */
    Optional<ProcessExit> previousExit();

    /**
     * The fencing token of the node's claim on this key. It grows every time a node claims the key,
     * so a worker can condition its own writes on it ({@code ... WHERE epoch = ?}) and a stale
     * worker's writes are refused. Always 0 for a single-node supervisor.
     */
    long epoch();

    /**
     * Deletes this key's row, so that the process is not started again once it returns: what a
     * short-lived process calls when its work is done, right before returning. When the runner
     * then returns (or throws), the supervisor retires the key at once, without reading the row
     * again; deletes of processes retiring at the same moment go to the table together, in one
     * statement where the table can ({@link Table#removeAll}). Blocks until the row is deleted (or
     * found already gone). Call it once the process is RUNNING; the process is not asked to stop,
     * it should simply return. If the row comes back before the process has ended, the supervisor
     * starts the key again as for any new row.
     *
     * @throws UnsupportedOperationException if the table cannot delete rows (it keeps the default
     *     of {@link Table#removeAll}), or this context is not a supervisor's
     * @throws TableException if the delete failed: the row may still be there, and the process is
     *     then restarted when it returns, as if it had not called this
     */
    default void retire() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot retire its process");
    }
}
