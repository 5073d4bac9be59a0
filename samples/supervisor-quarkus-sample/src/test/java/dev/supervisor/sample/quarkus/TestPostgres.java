package dev.supervisor.sample.quarkus;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The local PostgreSQL ({@code $SUPERVISOR_TEST_PG_URL}, default {@value #DEFAULT_URL}): a
 * condition that skips a test class when it is unreachable (or fails it when {@code $CI} is set),
 * and a test resource that gives the application a fresh schema, dropped when it stops.
 */
final class TestPostgres {

    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private TestPostgres() {
    }

    static String url() {
        return System.getenv().getOrDefault("SUPERVISOR_TEST_PG_URL", DEFAULT_URL);
    }

    /** Evaluated before Quarkus starts the application. */
    public static final class Reachable implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            try (Connection connection = DriverManager.getConnection(url())) {
                return ConditionEvaluationResult.enabled("PostgreSQL is reachable at " + url());
            } catch (SQLException e) {
                String reason = "PostgreSQL is unreachable at " + url() + " (" + e.getMessage() + ")";
                if (System.getenv("CI") != null) {
                    throw new AssertionError(reason + "; CI is set, so this fails instead of skipping", e);
                }
                return ConditionEvaluationResult.disabled(reason + ": skipping (with CI set it would fail)");
            }
        }
    }

    /** A schema with a random suffix for the application's datasource. */
    public static final class Schema implements QuarkusTestResourceLifecycleManager {
        private final String schema = "sv_quarkus_sample_" + Integer.toHexString(ThreadLocalRandom.current().nextInt() >>> 1);

        @Override
        public Map<String, String> start() {
            execute("CREATE SCHEMA " + schema);
            return Map.of("quarkus.datasource.jdbc.url", url() + (url().contains("?") ? "&" : "?") + "currentSchema=" + schema);
        }

        @Override
        public void stop() {
            execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }

        private static void execute(String sql) {
            try (Connection connection = DriverManager.getConnection(url()); Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new AssertionError("cannot run " + sql + " on PostgreSQL at " + url(), e);
            }
        }
    }
}
