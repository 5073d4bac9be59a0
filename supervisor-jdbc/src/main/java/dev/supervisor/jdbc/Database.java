package dev.supervisor.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.supervisor.TableException;
import dev.supervisor.jdbc.internal.dialect.DedicatedConnections;
import dev.supervisor.jdbc.internal.dialect.DialectDriver;
import dev.supervisor.jdbc.internal.dialect.RequiredLibraries;
import dev.supervisor.jdbc.internal.table.OptionChecks;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pooled, migrated database for the supervisor: an H2 file that several JVMs can open at once,
 * or any H2 or PostgreSQL database by JDBC URL. Opening it creates a HikariCP pool with bounded
 * timeouts and migrates the schema ({@link SchemaMigration}); closing it closes the pool.
 *
 * <pre>{@code
 * try (Database db = Database.embedded(Path.of("data/supervisor"));
 *      JdbcTable<String, Worker> table = JdbcTable.builder(db, row -> new Worker(row.payload())).build()) {
 *     ...
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public final class Database implements AutoCloseable {

    /** How long a borrower waits for a connection before failing: 5 s. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    /** How long a PostgreSQL socket read may block before the connection is considered dead: 30 s. */
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(30);
    /** PostgreSQL {@code application_name} of the pooled connections (unless the URL sets one). */
    public static final String APPLICATION_NAME = "supervisor";
    /** Appended to the application name for the change listener's dedicated connection. */
    public static final String LISTENER_SUFFIX = "-listener";
    /** PostgreSQL {@code application_name} of the change listener's dedicated connection, by default. */
    public static final String LISTENER_APPLICATION_NAME = APPLICATION_NAME + LISTENER_SUFFIX;
    /** The smallest pool that can migrate an H2 database: the migration lock and Flyway's two connections. */
    static final int MIN_H2_MIGRATION_POOL = 3;
    /** Pool size: 8 connections. */
    public static final int DEFAULT_POOL_SIZE = 8;

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final ConnectionFactory dedicated;

    private Database(HikariDataSource pool, Dialect dialect, ConnectionFactory dedicated) {
        this.pool = pool;
        this.dialect = dialect;
        this.dedicated = dedicated;
    }

    /**
     * The embedded default: an H2 database in {@code file} (H2 adds {@code .mv.db}), in H2's
     * automatic mixed mode, so the daemon and CLI commands in other JVMs can open it at the same
     * time. Migrated and ready.
     *
     * @throws dev.supervisor.TableException or a pool exception if the file cannot be opened
     */
    public static Database embedded(Path file) {
        Objects.requireNonNull(file, "file");
        return builder(h2FileUrl(file)).open();
    }

    /**
     * The JDBC URL of an H2 database in {@code file} in automatic mixed mode, writing every commit
     * at once ({@code WRITE_DELAY=0}; H2's default of 500 ms lets a killed process lose the commits
     * of its last half second, such as the pids the daemon just recorded).
     */
    public static String h2FileUrl(Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath() + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
    }

    /**
     * The database at {@code jdbcUrl} (H2 or PostgreSQL; credentials may be in the URL), migrated.
     *
     * @throws com.zaxxer.hikari.pool.HikariPool.PoolInitializationException if it cannot be reached
     *     within the connection timeout
     */
    public static Database connect(String jdbcUrl) {
        return builder(jdbcUrl).open();
    }

    /** A builder for the database at {@code jdbcUrl}. */
    public static Builder builder(String jdbcUrl) {
        return new Builder(Objects.requireNonNull(jdbcUrl, "jdbcUrl"));
    }

    /** The pooled data source. */
    public DataSource dataSource() {
        return pool;
    }

    /** Which database this is. */
    public Dialect dialect() {
        return dialect;
    }

    /** Opens connections outside the pool, configured like the pool's (for LISTEN). */
    public ConnectionFactory dedicatedConnections() {
        return dedicated;
    }

    /** Closes the pool; connections in use are closed when returned. */
    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "Database[" + pool.getPoolName() + ", " + dialect + "]";
    }

    /** Options of a {@link Database}; not thread-safe. */
    /**
     * url with every {@code password=} value (any case: PostgreSQL's {@code &password=}, H2's
     * {@code ;PASSWORD=}) replaced by {@code ***}, for log lines and messages.
     */
    static String masked(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    public static final class Builder {
        private final String url;
        private String user;
        private String password;
        private String schema;
        private int poolSize = DEFAULT_POOL_SIZE;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
        private boolean migrate = true;
        private String applicationName = APPLICATION_NAME;

        private Builder(String url) {
            if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("unsupported JDBC URL '" + masked(url)
                        + "': expected jdbc:h2:... or jdbc:postgresql:...");
            }
            this.url = url;
        }

        /** The user to connect as (else the URL's). */
        public Builder user(String user) {
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /** The password (else the URL's). */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * The schema the connections use by default and the migration creates; default: the
         * database's default.
         *
         * @throws IllegalArgumentException if schema is not a valid unqualified identifier
         */
        public Builder schema(String schema) {
            this.schema = Identifier.unqualified(schema).name();
            return this;
        }

        /** The pool's maximum size; default {@link #DEFAULT_POOL_SIZE}. */
        public Builder poolSize(int size) {
            this.poolSize = OptionChecks.atLeastOne("poolSize", size);
            return this;
        }

        /** How long a borrower waits for a connection; default {@link #DEFAULT_CONNECTION_TIMEOUT}; at least 250 ms. */
        public Builder connectionTimeout(Duration timeout) {
            if (timeout.compareTo(Duration.ofMillis(250)) < 0) {
                throw new IllegalArgumentException("connectionTimeout must be >= 250ms, was " + timeout);
            }
            this.connectionTimeout = timeout;
            return this;
        }

        /** PostgreSQL only: how long a read may block; default {@link #DEFAULT_SOCKET_TIMEOUT}. */
        public Builder socketTimeout(Duration timeout) {
            this.socketTimeout = OptionChecks.positive("socketTimeout", timeout);
            return this;
        }

        /**
         * PostgreSQL {@code application_name} of the pooled connections, so that operators can
         * tell nodes and services apart in {@code pg_stat_activity}; the change listener's
         * connection gets it with {@value #LISTENER_SUFFIX} appended. Default
         * {@value #APPLICATION_NAME}. An {@code ApplicationName} in the URL wins over it.
         *
         * @throws IllegalArgumentException if name is blank or longer than 54 characters
         */
        public Builder applicationName(String name) {
            Objects.requireNonNull(name, "applicationName");
            if (name.isBlank() || name.length() > 63 - LISTENER_SUFFIX.length()) {
                throw new IllegalArgumentException("applicationName must be 1 to " + (63 - LISTENER_SUFFIX.length())
                        + " characters, was '" + name + "'");
            }
            this.applicationName = name;
            return this;
        }

        /** Whether {@link #open()} migrates the schema; default true. */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * Creates the pool and, unless turned off, migrates the schema.
         *
         * @throws IllegalStateException if the database's JDBC driver (or, to migrate PostgreSQL,
         *     Flyway's PostgreSQL plugin) is missing: supervisor-jdbc leaves them to the application
         * @throws com.zaxxer.hikari.pool.HikariPool.PoolInitializationException if the database
         *     cannot be reached within the connection timeout
         */
        public Database open() {
            Dialect dialect = url.startsWith("jdbc:h2:") ? Dialect.H2 : Dialect.POSTGRESQL;
            RequiredLibraries.check(dialect, url, migrate);
            if (dialect == Dialect.H2 && migrate && poolSize < MIN_H2_MIGRATION_POOL) {
                throw new IllegalArgumentException("poolSize " + poolSize + " is too small to migrate an H2 database: migrating"
                        + " holds " + MIN_H2_MIGRATION_POOL + " connections at once (the migration lock and Flyway's two);"
                        + " use a poolSize of at least " + MIN_H2_MIGRATION_POOL + ", or migrate(false)");
            }
            String foldedSchema = schema == null ? null : dialect.sql().foldCase(schema);
            Properties driver = driverProperties(dialect);
            ConnectionFactory dedicated = DedicatedConnections.of(url, driver, null);
            if (foldedSchema != null && migrate) {
                createSchema(dedicated, foldedSchema);
            }
            HikariConfig config = new HikariConfig();
            config.setPoolName("supervisor-" + dialect.name().toLowerCase(Locale.ROOT));
            config.setJdbcUrl(url);
            config.setDataSourceProperties(driver);
            config.setMaximumPoolSize(poolSize);
            config.setMinimumIdle(Math.min(2, poolSize));
            config.setConnectionTimeout(connectionTimeout.toMillis());
            config.setValidationTimeout(Math.min(connectionTimeout.toMillis(), 2_000));
            config.setSchema(foldedSchema);
            HikariDataSource pool = new HikariDataSource(config);
            try {
                if (migrate) {
                    SchemaMigration.migrate(pool, dialect, schema);
                }
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
            LOG.info("Opened {} ({}, pool {}, connection timeout {}{})", masked(url),
                    dialect, poolSize, connectionTimeout, schema == null ? "" : ", schema " + foldedSchema);
            Properties listener = new Properties();
            listener.putAll(driver);
            if (dialect == Dialect.POSTGRESQL) {
                listener.setProperty("ApplicationName", applicationName + LISTENER_SUFFIX);
            }
            return new Database(pool, dialect, DedicatedConnections.of(url, listener, foldedSchema));
        }

        /**
         * One connection, configured as the pool's would be (user, password, driver options, default
         * schema), without a pool, a thread or a migration: for short-lived tools, such as a command
         * line that runs a statement or two and exits. Pair it with
         * {@link SchemaMigration#appliedVersion} to check that the schema is current without
         * migrating. The connection is made by the dialect's own driver when it is present and
         * accepts the URL, without {@link java.sql.DriverManager} loading every driver first. The
         * caller closes it.
         *
         * @throws IllegalStateException if the database's JDBC driver is missing
         * @throws SQLException if the database cannot be reached
         */
        public Connection openConnection() throws SQLException {
            Dialect dialect = url.startsWith("jdbc:h2:") ? Dialect.H2 : Dialect.POSTGRESQL;
            String foldedSchema = schema == null ? null : dialect.sql().foldCase(schema);
            Optional<Driver> driver = DialectDriver.accepting(dialect, url);
            if (driver.isPresent()) {
                return DedicatedConnections.of(driver.get(), url, driverProperties(dialect), foldedSchema).open();
            }
            RequiredLibraries.check(dialect, url, false);
            return DedicatedConnections.of(url, driverProperties(dialect), foldedSchema).open();
        }

        /** Creates the schema first, so that every pooled connection can use it from the start. */
        private static void createSchema(ConnectionFactory connections, String schema) {
            try (Connection connection = connections.open(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema); // a checked identifier
            } catch (SQLException e) {
                // Two processes creating it at once: PostgreSQL reports a duplicate; the schema exists.
                if (!"23505".equals(e.getSQLState()) && !"42P06".equals(e.getSQLState())) {
                    throw new TableException("cannot create schema " + schema + ": " + e.getMessage(), e);
                }
            }
        }

        private Properties driverProperties(Dialect dialect) {
            Properties properties = new Properties();
            if (user != null) {
                properties.setProperty("user", user);
            }
            if (password != null) {
                properties.setProperty("password", password);
            }
            if (dialect == Dialect.POSTGRESQL) {
                // URL parameters win over these defaults.
                properties.setProperty("connectTimeout", Long.toString(Math.max(1, connectionTimeout.toSeconds())));
                properties.setProperty("loginTimeout", Long.toString(Math.max(1, connectionTimeout.toSeconds())));
                properties.setProperty("socketTimeout", Long.toString(Math.max(1, socketTimeout.toSeconds())));
                properties.setProperty("tcpKeepAlive", "true");
                properties.setProperty("ApplicationName", applicationName);
            }
            return properties;
        }
    }
}
