package dev.supervisor.bench;

import dev.supervisor.jdbc.Database;
import dev.supervisor.jdbc.JdbcTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A fresh, migrated database for one scenario: H2 in a new temporary file, or PostgreSQL in
 * schema {@value #SCHEMA}, dropped and created again on every open. Closing it closes the pool
 * and removes the data (the temporary files, or the schema).
 *
 * <p>Besides the supervisor's pooled {@link Database}, it hands out plain JDBC connections
 * outside the pool: the "other connection" that inserts and deletes rows the way another
 * program would.
 */
final class BenchDatabase implements AutoCloseable {

    /** The PostgreSQL schema every scenario works in. */
    static final String SCHEMA = "bench";
    /** Used when {@code SUPERVISOR_TEST_PG_URL} is not set (the project's test database). */
    static final String DEFAULT_PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    /**
     * The {@code application_name} of every bench connection, pool and listener alike (a URL
     * parameter wins over {@code Database}'s defaults): so that a DBA, or a recovery test
     * terminating the {@code supervisor} backends of a shared server, can tell them apart.
     */
    static final String APPLICATION_NAME = "supervisor-bench";

    private static final String TABLE = JdbcTable.DEFAULT_TABLE;

    private final Store store;
    private final String url;
    private final Path h2Directory;
    private final Database database;

    private BenchDatabase(Store store, String url, Path h2Directory, Database database) {
        this.store = store;
        this.url = url;
        this.h2Directory = h2Directory;
        this.database = database;
    }

    /** The PostgreSQL URL: {@code $SUPERVISOR_TEST_PG_URL}, else {@value #DEFAULT_PG_URL}. */
    static String postgresUrl() {
        String url = System.getenv("SUPERVISOR_TEST_PG_URL");
        return url == null || url.isBlank() ? DEFAULT_PG_URL : url;
    }

    private static String withParameter(String url, String parameter) {
        return url + (url.contains("?") ? "&" : "?") + parameter;
    }

    /** Used when {@code SUPERVISOR_TEST_MARIADB_URL} is not set (the project's test database). */
    static final String DEFAULT_MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test?user=root";

    /** The MariaDB URL: {@code $SUPERVISOR_TEST_MARIADB_URL}, else {@value #DEFAULT_MARIADB_URL}. */
    static String mariaDbUrl() {
        String url = System.getenv("SUPERVISOR_TEST_MARIADB_URL");
        return url == null || url.isBlank() ? DEFAULT_MARIADB_URL : url;
    }

    /** Why MariaDB cannot be used, or empty when it can. */
    static Optional<String> mariaDbUnavailable() {
        String url = mariaDbUrl();
        try {
            DriverManager.getConnection(withParameter(url, "connectTimeout=3000")).close();
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of("MariaDB is unreachable at " + url + " (" + e.getMessage() + ")");
        }
    }

    /** Why PostgreSQL cannot be used, or empty when it can. */
    static Optional<String> postgresUnavailable() {
        String url = postgresUrl();
        try {
            DriverManager.getConnection(withParameter(url, "connectTimeout=3")).close();
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of("PostgreSQL is unreachable at " + url + " (" + e.getMessage() + ")");
        }
    }

    /**
     * Opens a fresh database of {@code store}: empty desired-state and status tables.
     *
     * @throws IllegalArgumentException for {@link Store#IN_MEMORY}
     */
    static BenchDatabase open(Store store) {
        return switch (store) {
            case H2 -> {
                Path directory;
                try {
                    directory = Files.createTempDirectory("supervisor-bench-h2");
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create a temporary directory for H2", e);
                }
                Path file = directory.resolve("bench");
                yield new BenchDatabase(store, Database.h2FileUrl(file), directory, Database.embedded(file));
            }
            case POSTGRESQL -> {
                String url = withParameter(postgresUrl(), "ApplicationName=" + APPLICATION_NAME);
                dropSchema(url, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
                yield new BenchDatabase(store, url, null, Database.builder(url).schema(SCHEMA).open());
            }
            case MARIADB -> {
                String url = mariaDbUrl();
                dropSchema(url, "DROP DATABASE IF EXISTS " + SCHEMA);
                yield new BenchDatabase(store, url, null,
                        Database.builder(url).schema(SCHEMA).applicationName(APPLICATION_NAME).open());
            }
            case IN_MEMORY -> throw new IllegalArgumentException("the in-memory store has no database");
        };
    }

    private static void dropSchema(String url, String drop) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(drop);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop schema " + SCHEMA + " at " + url + ": " + e.getMessage(), e);
        }
    }

    Store store() {
        return store;
    }

    /** The supervisor's pooled, migrated database. */
    Database database() {
        return database;
    }

    /** The JDBC URL (for PostgreSQL, connections must also select schema {@link #schema()}). */
    String url() {
        return url;
    }

    /** The schema to select on new connections, or null for H2's default. */
    String schema() {
        return store == Store.POSTGRESQL || store == Store.MARIADB ? SCHEMA : null;
    }

    /** A new autocommit connection outside the pool, in the bench schema. The caller closes it. */
    Connection plainConnection() throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        if (store == Store.MARIADB) {
            connection.setCatalog(SCHEMA); // MariaDB's schemas are databases
        } else if (schema() != null) {
            connection.setSchema(schema());
        }
        return connection;
    }

    /** One connection outside the pool that inserts and deletes single rows, as another program would. */
    RowWriter rowWriter() throws SQLException {
        return new RowWriter(plainConnection());
    }

    /**
     * Inserts {@code count} rows in one statement, keys {@link #key(String, int) key(prefix, 1..count)},
     * every payload {@code payload}.
     */
    void insertRows(String prefix, int count, String payload) {
        String series = switch (store) {
            case H2 -> "SELECT ? || LPAD(CAST(X AS VARCHAR), 7, '0'), ? FROM SYSTEM_RANGE(1, ?)";
            case POSTGRESQL -> "SELECT ? || LPAD(g::text, 7, '0'), ? FROM generate_series(1, ?) g";
            case MARIADB -> "SELECT CONCAT(?, LPAD(seq, 7, '0')), ? FROM seq_1_to_" + count + " WHERE seq <= ?";
            case IN_MEMORY -> throw new AssertionError(store);
        };
        try (Connection connection = plainConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO " + TABLE + " (name, payload) " + series)) {
            insert.setString(1, prefix);
            insert.setString(2, payload);
            insert.setInt(3, count);
            int inserted = insert.executeUpdate();
            if (inserted != count) {
                throw new IllegalStateException("inserted " + inserted + " rows, expected " + count);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot insert " + count + " rows into " + store + ": " + e.getMessage(), e);
        }
    }

    /** The number of rows in {@code table}. */
    long count(String table) {
        try (Connection connection = plainConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count " + table + ": " + e.getMessage(), e);
        }
    }

    /** Runs each statement of {@code script} (separated by semicolons at line ends). */
    void executeScript(String script) {
        try (Connection connection = plainConnection(); Statement statement = connection.createStatement()) {
            for (String sql : script.split(";\\s*\\n")) {
                if (!sql.isBlank()) {
                    statement.execute(sql);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run script on " + store + ": " + e.getMessage(), e);
        }
    }

    /** The key of row {@code i}: the prefix and i in seven digits, the same text the SQL series makes. */
    static String key(String prefix, int i) {
        return prefix + String.format("%07d", i);
    }

    @Override
    public void close() {
        database.close();
        if (store == Store.POSTGRESQL) {
            dropSchema(url, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        } else if (store == Store.MARIADB) {
            dropSchema(url, "DROP DATABASE IF EXISTS " + SCHEMA);
        }
        if (h2Directory != null) {
            try (Stream<Path> files = Files.walk(h2Directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not remove " + h2Directory + ": " + e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return store.title() + " " + url;
    }

    /** Inserts and deletes single rows of the desired-state table on one autocommit connection. */
    static final class RowWriter implements AutoCloseable {
        private final Connection connection;
        private final PreparedStatement insert;
        private final PreparedStatement delete;

        private RowWriter(Connection connection) throws SQLException {
            this.connection = Objects.requireNonNull(connection);
            this.insert = connection.prepareStatement("INSERT INTO " + TABLE + " (name, payload) VALUES (?, ?)");
            this.delete = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE name = ?");
        }

        void insert(String key, String payload) throws SQLException {
            insert.setString(1, key);
            insert.setString(2, payload);
            insert.executeUpdate();
        }

        void delete(String key) throws SQLException {
            delete.setString(1, key);
            if (delete.executeUpdate() != 1) {
                throw new IllegalStateException("no row " + key + " to delete");
            }
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }
}
