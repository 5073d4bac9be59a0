package dev.supervisor.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.supervisor.TableException;
import dev.supervisor.jdbc.internal.dialect.DedicatedConnections;
import dev.supervisor.jdbc.internal.dialect.DialectDriver;
import dev.supervisor.jdbc.internal.dialect.RequiredLibraries;
import dev.supervisor.jdbc.internal.dialect.SqlDialect;
import dev.supervisor.jdbc.internal.table.OptionChecks;
import dev.supervisor.jdbc.internal.table.SqlText;
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
 * or any H2, PostgreSQL, MariaDB or MySQL database by JDBC URL ({@link Dialect#forUrl}). Opening it creates a HikariCP pool with bounded
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
    /** How long a socket read may block before the connection is considered dead (PostgreSQL, MariaDB, MySQL): 30 s. */
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The name of the pooled connections as the server shows them (PostgreSQL {@code application_name},
     * MariaDB's and MySQL's {@code program_name} connection attribute), unless the URL sets one.
     */
    public static final String APPLICATION_NAME = "supervisor";
    /** Appended to the application name for the change listener's dedicated connection. */
    public static final String LISTENER_SUFFIX = "-listener";
    /** PostgreSQL {@code application_name} of the change listener's dedicated connection, by default. */
    public static final String LISTENER_APPLICATION_NAME = APPLICATION_NAME + LISTENER_SUFFIX;
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
     * The database at {@code jdbcUrl} (H2, PostgreSQL, MariaDB or MySQL; credentials may be in the URL), migrated.
     *
     * @throws com.zaxxer.hikari.pool.HikariPool.PoolInitializationException if it cannot be reached
     *     within the connection timeout
     */
    public static Database connect(String jdbcUrl) {
        return builder(jdbcUrl).open();
    }

    /**
     * A builder for the database at {@code jdbcUrl}.
     *
     * @throws IllegalArgumentException if no supported database has such URLs (see {@link Dialect#forUrl})
     */
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
        private final Dialect dialect;
        private String user;
        private String password;
        private String schema;
        private int poolSize = DEFAULT_POOL_SIZE;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
        private boolean migrate = true;
        private String applicationName = APPLICATION_NAME;

        private Builder(String url) {
            this.dialect = Dialect.forUrl(url);
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

        /** PostgreSQL, MariaDB and MySQL: how long a read may block; default {@link #DEFAULT_SOCKET_TIMEOUT}. */
        public Builder socketTimeout(Duration timeout) {
            this.socketTimeout = OptionChecks.positive("socketTimeout", timeout);
            return this;
        }

        /**
         * The name of the pooled connections (PostgreSQL {@code application_name}, MariaDB's and
         * MySQL's {@code program_name} connection attribute), so that operators can tell nodes and
         * services apart in {@code pg_stat_activity} or {@code performance_schema}; the change listener's
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
         *     MariaDB or MySQL, Flyway's plugin for it) is missing: supervisor-jdbc leaves them to the application
         * @throws com.zaxxer.hikari.pool.HikariPool.PoolInitializationException if the database
         *     cannot be reached within the connection timeout
         */
        public Database open() {
            SqlDialect sql = dialect.sql();
            RequiredLibraries.check(sql, url, migrate);
            if (migrate && poolSize < sql.migrationConnections()) {
                throw new IllegalArgumentException("poolSize " + poolSize + " is too small to migrate a " + sql.displayName()
                        + " database: migrating holds " + sql.migrationConnections() + " connections at once;"
                        + " use a poolSize of at least " + sql.migrationConnections() + ", or migrate(false)");
            }
            String foldedSchema = schema == null ? null : sql.foldCase(schema);
            if (foldedSchema != null) {
                SqlText.checkNames(sql, Identifier.unqualified(foldedSchema));
            }
            Properties driver = driverProperties();
            ConnectionFactory dedicated = DedicatedConnections.of(sql, url, driver, null);
            if (foldedSchema != null && migrate) {
                createSchema(sql, dedicated, foldedSchema);
            }
            HikariConfig config = new HikariConfig();
            config.setPoolName("supervisor-" + dialect.name().toLowerCase(Locale.ROOT));
            config.setJdbcUrl(url);
            config.setDataSourceProperties(driver);
            config.setMaximumPoolSize(poolSize);
            config.setMinimumIdle(Math.min(2, poolSize));
            config.setConnectionTimeout(connectionTimeout.toMillis());
            config.setValidationTimeout(Math.min(connectionTimeout.toMillis(), 2_000));
            if (sql.schemaIsCatalog()) {
                config.setCatalog(foldedSchema);
            } else {
                config.setSchema(foldedSchema);
            }
            sql.poolIsolation().ifPresent(level -> config.setTransactionIsolation("TRANSACTION_" + level.name()));
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
            Properties listener = sql.listenerProperties(driver, applicationName + LISTENER_SUFFIX);
            return new Database(pool, dialect, DedicatedConnections.of(sql, url, listener, foldedSchema));
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
            SqlDialect sql = dialect.sql();
            String foldedSchema = schema == null ? null : sql.foldCase(schema);
            Optional<Driver> driver = DialectDriver.accepting(sql, url);
            if (driver.isPresent()) {
                return DedicatedConnections.of(sql, driver.get(), url, driverProperties(), foldedSchema).open();
            }
            RequiredLibraries.check(sql, url, false);
            return DedicatedConnections.of(sql, url, driverProperties(), foldedSchema).open();
        }

        /** Creates the schema first, so that every pooled connection can use it from the start. */
        private static void createSchema(SqlDialect sql, ConnectionFactory connections, String schema) {
            try (Connection connection = connections.open(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema); // a checked identifier
            } catch (SQLException e) {
                // Two processes creating it at once: PostgreSQL reports a duplicate; the schema exists.
                if (!sql.schemaCreatedMeanwhile(e)) {
                    throw new TableException("cannot create schema " + schema + ": " + e.getMessage(), e);
                }
            }
        }

        /** The dialect's driver properties (URL parameters win over them), and the user and password. */
        private Properties driverProperties() {
            Properties properties = dialect.sql().driverProperties(url,
                    new SqlDialect.ConnectionSettings(connectionTimeout, socketTimeout, applicationName));
            if (user != null) {
                properties.setProperty("user", user);
            }
            if (password != null) {
                properties.setProperty("password", password);
            }
            return properties;
        }
    }
}
