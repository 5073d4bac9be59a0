package dev.supervisor.jdbc.internal.dialect;

import com.zaxxer.hikari.HikariDataSource;
import dev.supervisor.jdbc.ConnectionFactory;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connections outside a pool, for the PostgreSQL change listener and cluster mode's heartbeat. */
public final class DedicatedConnections {

    private static final Logger LOG = LoggerFactory.getLogger(DedicatedConnections.class);

    private DedicatedConnections() {
    }

    /**
     * Connections made with a JDBC URL through {@link DriverManager}, with {@code properties}
     * (user, password, driver options) and, when schema is not null, that default schema.
     */
    public static ConnectionFactory of(SqlDialect dialect, String url, Properties properties, String schema) {
        return of(dialect, url, properties, schema, DriverManager::getConnection);
    }

    /**
     * The same connections through driver, which must accept url, rather than through
     * {@link DriverManager} (which loads every driver on the class path first).
     */
    public static ConnectionFactory of(SqlDialect dialect, Driver driver, String url, Properties properties, String schema) {
        return of(dialect, url, properties, schema, driver::connect);
    }

    /** How a connection is made from a URL and properties. */
    private interface Opener {
        Connection open(String url, Properties properties) throws SQLException;
    }

    private static ConnectionFactory of(SqlDialect dialect, String url, Properties properties, String schema, Opener opener) {
        Properties copy = new Properties();
        copy.putAll(properties);
        return () -> {
            Connection connection = opener.open(url, copy);
            if (schema != null) {
                try {
                    dialect.useSchema(connection, schema);
                } catch (SQLException e) {
                    connection.close();
                    throw e;
                }
            }
            return connection;
        };
    }

    /**
     * Connections like the ones dataSource gives, but not from its pool: a HikariCP pool's
     * configuration is reused; any other data source is used as it is (logged, since a pooled
     * connection then stays borrowed while listening).
     */
    public static ConnectionFactory of(SqlDialect dialect, DataSource dataSource) {
        if (dataSource instanceof HikariDataSource hikari) {
            if (hikari.getJdbcUrl() != null) {
                Properties properties = new Properties();
                properties.putAll(hikari.getDataSourceProperties());
                putIfPresent(properties, "user", hikari.getUsername());
                putIfPresent(properties, "password", hikari.getPassword());
                return of(dialect, hikari.getJdbcUrl(), properties, schema(dialect, hikari));
            }
            if (hikari.getDataSource() != null) {
                return hikari.getDataSource()::getConnection;
            }
        }
        LOG.info("The change listener will hold a connection of {} while listening; give the table builder a"
                + " ConnectionFactory for a dedicated one", dataSource.getClass().getName());
        return dataSource::getConnection;
    }

    /**
     * Connections outside dataSource's pool when it is a HikariCP pool (its configuration
     * reused), else empty: a caller that must not hold a pooled connection borrows per use then.
     */
    public static Optional<ConnectionFactory> dedicatedOnly(SqlDialect dialect, DataSource dataSource,
                                                            int connectTimeoutSeconds) {
        if (!(dataSource instanceof HikariDataSource hikari)) {
            return Optional.empty();
        }
        if (hikari.getJdbcUrl() != null) {
            Properties properties = new Properties();
            properties.putAll(hikari.getDataSourceProperties());
            putIfPresent(properties, "user", hikari.getUsername());
            putIfPresent(properties, "password", hikari.getPassword());
            dialect.boundConnect(properties, connectTimeoutSeconds); // opening never hangs longer than a statement may
            return Optional.of(of(dialect, hikari.getJdbcUrl(), properties, schema(dialect, hikari)));
        }
        return hikari.getDataSource() == null ? Optional.empty() : Optional.of(hikari.getDataSource()::getConnection);
    }

    /** The schema the pool's connections use: its catalog where schemas are catalogs (MariaDB, MySQL). */
    private static String schema(SqlDialect dialect, HikariDataSource hikari) {
        return dialect.schemaIsCatalog() ? hikari.getCatalog() : hikari.getSchema();
    }

    private static void putIfPresent(Properties properties, String name, String value) {
        if (value != null) {
            properties.setProperty(name, value);
        }
    }
}
