package dev.supervisor.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * A migrated database of its own on the test MariaDB ({@code $SUPERVISOR_TEST_MARIADB_URL}), dropped
 * on close, and plain SQL in it on a connection of its own. Opening it skips the test when the server
 * is unreachable, unless {@code $CI} is set: then it fails, so CI never passes by skipping.
 */
final class MariaDbSchema implements AutoCloseable {

    static final String URL = System.getenv().getOrDefault("SUPERVISOR_TEST_MARIADB_URL",
            "jdbc:mariadb://127.0.0.1:3306/test?user=root");

    final String schema;
    final Database database;

    MariaDbSchema(String prefix) {
        requireReachable();
        schema = (prefix + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt())).toLowerCase(Locale.ROOT);
        database = Database.builder(URL).schema(schema).poolSize(4).open();
    }

    /** Skips the test when the server is unreachable, or fails it when {@code $CI} is set. */
    static void requireReachable() {
        try (Connection ignored = DriverManager.getConnection(URL + (URL.contains("?") ? "&" : "?") + "connectTimeout=3000")) {
            // reachable
        } catch (SQLException e) {
            String reason = "MariaDB is unreachable at " + URL + " (" + e.getMessage() + ")";
            if (System.getenv("CI") != null) {
                throw new AssertionError(reason + "; CI is set, so this fails instead of skipping", e);
            }
            Assumptions.abort(reason);
        }
    }

    /** A new connection whose default database is this schema. The caller closes it. */
    Connection connection() throws SQLException {
        Connection connection = DriverManager.getConnection(URL);
        connection.setCatalog(schema);
        return connection;
    }

    /** Runs statements, in this schema, on a connection of their own. */
    void sql(String... statements) {
        try (Connection connection = connection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new AssertionError("SQL failed: " + e.getMessage(), e);
        }
    }

    /** The first column of the first row of a query, in this schema, as a number. */
    long number(String query) {
        return Long.parseLong(strings(query).getFirst());
    }

    /** The first column of every row of a query, in this schema, as text. */
    List<String> strings(String query) {
        try (Connection connection = connection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new AssertionError("SQL failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws SQLException {
        database.close();
        try (Connection connection = DriverManager.getConnection(URL); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + schema);
        }
    }
}
