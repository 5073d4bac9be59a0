package dev.supervisor.jdbc.internal.signal;

/**
 * Notices changes to one table and reports them to its {@link SignalSetup#sink()}, from a thread
 * of its own. Started once, closed once; closing stops the reports and releases its connection
 * or timer.
 */
public interface ChangeSource extends AutoCloseable {

    /** Begins watching; returns at once. */
    void start();

    /** Stops watching; never throws. */
    @Override
    void close();
}
