package dev.supervisor.jdbc;

import dev.supervisor.Table;
import dev.supervisor.conformance.TableConformanceTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link JdbcTable} on PostgreSQL ({@code $SUPERVISOR_TEST_PG_URL}) keeps the table contract, in a
 * schema of its own per test. Skipped when the server is unreachable, unless {@code $CI} is set:
 * then it fails, so CI never passes by skipping.
 */
class PostgresTableConformanceTest extends TableConformanceTest {
    private static final String URL = System.getenv().getOrDefault("SUPERVISOR_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private String schema;
    private Database database;
    private JdbcTable<String, String> table;

    @BeforeEach
    void open() {
        try (Connection ignored = DriverManager.getConnection(URL + (URL.contains("?") ? "&" : "?") + "connectTimeout=3")) {
            // reachable
        } catch (SQLException e) {
            String reason = "PostgreSQL is unreachable at " + URL + " (" + e.getMessage() + ")";
            if (System.getenv("CI") != null) {
                throw new AssertionError(reason + "; CI is set, so this fails instead of skipping", e);
            }
            Assumptions.abort(reason);
        }
        schema = ("sv_conformance_" + Integer.toHexString(ThreadLocalRandom.current().nextInt())).toLowerCase(Locale.ROOT);
        database = Database.builder(URL).schema(schema).open();
        table = JdbcTable.builder(database, JdbcTableConformance::decode).build();
    }

    @AfterEach
    void close() throws SQLException {
        if (database == null) {
            return;
        }
        table.close();
        database.close();
        try (Connection connection = DriverManager.getConnection(URL); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Override
    protected Table<String, String> table() {
        return table;
    }

    @Override
    protected void write(String key, String payload) {
        table.put(key, payload);
    }

    @Override
    protected void delete(String key) {
        table.remove(key);
    }
}
