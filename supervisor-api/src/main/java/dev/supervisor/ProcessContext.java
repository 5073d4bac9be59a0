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
}
