package dev.supervisor.jdbc;

import dev.supervisor.testsupport.PlainDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A data source that can be cut off (every getConnection fails, as when the network is down) or
 * held (getConnection waits until released, as when packets are lost), to play a node that loses
 * its database. Shared with supervisor-tests through this module's test jar.
 */
public final class SwitchableDataSource extends PlainDataSource {

    private final DataSource target;
    private volatile boolean off;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    /** getConnection calls waiting at a held gate right now. */
    public final AtomicInteger waiting = new AtomicInteger();

    public SwitchableDataSource(DataSource target) {
        this.target = target;
    }

    /** From now on every getConnection fails, as a refused connection would. */
    public void off() {
        off = true;
    }

    /** Connections work again. */
    public void on() {
        off = false;
    }

    /**
     * Fails while switched off, as a refused connection would (for connections made elsewhere,
     * such as a listener's dedicated one).
     */
    public void check() throws SQLException {
        if (off) {
            throw new SQLException("connection refused (switched off by the test)", "08001");
        }
    }

    /**
     * From now on getConnection waits until the returned gate is opened (callers already waiting
     * keep waiting for their own gate).
     */
    public CountDownLatch hold() {
        CountDownLatch next = new CountDownLatch(1);
        gate = next;
        return next;
    }

    @Override
    public Connection getConnection() throws SQLException {
        CountDownLatch current = gate;
        waiting.incrementAndGet();
        try {
            current.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while held", e);
        } finally {
            waiting.decrementAndGet();
        }
        check();
        return target.getConnection();
    }
}
