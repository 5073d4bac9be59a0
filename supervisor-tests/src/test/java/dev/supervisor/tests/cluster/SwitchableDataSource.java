package dev.supervisor.tests.cluster;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A data source the test can switch off: every getConnection then fails, as when a node's network is down. */
final class SwitchableDataSource implements DataSource {

    private final DataSource target;
    private volatile boolean off;

    SwitchableDataSource(DataSource target) {
        this.target = target;
    }

    void off() {
        off = true;
    }

    void on() {
        off = false;
    }

    boolean isOff() {
        return off;
    }

    /** Fails while switched off, as a refused connection would. */
    void check() throws SQLException {
        if (off) {
            throw new SQLException("connection refused (the test cut this node off)", "08001");
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        check();
        return target.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }
}
