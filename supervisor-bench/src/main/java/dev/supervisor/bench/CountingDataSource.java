package dev.supervisor.bench;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that counts the statements executed on its connections (every
 * {@code execute*} call of a {@link Statement}, prepared or not), for the cluster scale scenario's
 * per-node figures. Everything else passes through.
 */
final class CountingDataSource implements DataSource {

    private final DataSource delegate;
    private final LongAdder statements = new LongAdder();

    CountingDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /** Statements executed so far. */
    long statements() {
        return statements.sum();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(delegate.getConnection(username, password));
    }

    private Connection wrap(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                passThrough(connection, result -> result instanceof Statement statement ? countingStatement(statement) : result));
    }

    private Object countingStatement(Statement statement) {
        Class<?>[] interfaces = statement.getClass().getInterfaces().length == 0
                ? new Class<?>[] {Statement.class} : allStatementInterfaces(statement);
        return Proxy.newProxyInstance(Statement.class.getClassLoader(), interfaces, (proxy, method, args) -> {
            if (method.getName().startsWith("execute")) {
                statements.increment();
            }
            return invoke(statement, method, args);
        });
    }

    private static Class<?>[] allStatementInterfaces(Statement statement) {
        if (statement instanceof java.sql.CallableStatement) {
            return new Class<?>[] {java.sql.CallableStatement.class};
        }
        if (statement instanceof java.sql.PreparedStatement) {
            return new Class<?>[] {java.sql.PreparedStatement.class};
        }
        return new Class<?>[] {Statement.class};
    }

    private interface ResultMapper {
        Object map(Object result);
    }

    private static InvocationHandler passThrough(Object target, ResultMapper mapper) {
        return (proxy, method, args) -> mapper.map(invoke(target, method, args));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return delegate.isWrapperFor(type);
    }
}
