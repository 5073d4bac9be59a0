package dev.supervisor.jdbc;

import dev.supervisor.testsupport.PlainDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * A data source that records the SQL of every statement prepared on its connections, in order,
 * so that a test can count the statements of one kind; everything else passes through.
 */
final class StatementLog extends PlainDataSource {

    private final DataSource target;
    private final List<String> prepared = new CopyOnWriteArrayList<>();

    StatementLog(DataSource target) {
        this.target = target;
    }

    /** How many statements prepared so far start with {@code prefix}. */
    long count(String prefix) {
        return prepared.stream().filter(sql -> sql.startsWith(prefix)).count();
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = target.getConnection();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("prepare") && args != null && args[0] instanceof String sql) {
                        prepared.add(sql);
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
