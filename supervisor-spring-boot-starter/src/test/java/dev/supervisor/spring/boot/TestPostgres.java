package dev.supervisor.spring.boot;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * The local PostgreSQL ({@code $SUPERVISOR_TEST_PG_URL}, default {@value #DEFAULT_URL}) in a schema
 * of the test class's own. Unreachable: the test is skipped, or fails when {@code $CI} is set.
 */
final class TestPostgres {

    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final String url = System.getenv().getOrDefault("SUPERVISOR_TEST_PG_URL", DEFAULT_URL);
    private final String schema;

    /** Checks the server is reachable (skipping or failing as above) and creates a fresh schema. */
    TestPostgres(Class<?> testClass) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            schema = ("sv_" + testClass.getSimpleName() + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt()))
                    .toLowerCase(Locale.ROOT);
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String reason = "PostgreSQL is unreachable at " + url + " (" + e.getMessage() + ")";
            if (System.getenv("CI") != null) {
                throw new AssertionError(reason + "; CI is set, so this fails instead of skipping", e);
            }
            Assumptions.abort(reason + ": skipping (with CI set it would fail)");
            throw new AssertionError("unreachable");
        }
    }

    /** A JDBC URL whose connections use the schema. */
    String url() {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** Drops the schema and everything in it. */
    void drop() {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new AssertionError("cannot drop schema " + schema, e);
        }
    }
}
