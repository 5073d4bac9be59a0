package dev.supervisor.spring.boot;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * The local PostgreSQL ({@code $SUPERVISOR_TEST_PG_URL}, default {@value #DEFAULT_URL}) in a schema
 * of the test class's own. Unreachable: the test is skipped, or fails when {@code $CI} is set. A
 * Spring test class gets its schema with {@link #of} (in a {@code @DynamicPropertySource}) and has
 * it dropped after its context closed with {@link DropSchema} and {@code @DirtiesContext}. Also
 * used by the sample's tests.
 */
public final class TestPostgres {

    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final Map<Class<?>, TestPostgres> SCHEMAS = new ConcurrentHashMap<>();

    private final String url = System.getenv().getOrDefault("SUPERVISOR_TEST_PG_URL", DEFAULT_URL);
    private final String schema;

    /** Checks the server is reachable (skipping or failing as above) and creates a fresh schema. */
    private TestPostgres(Class<?> testClass) {
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

    /** The schema of testClass, created on first use. */
    public static TestPostgres of(Class<?> testClass) {
        return SCHEMAS.computeIfAbsent(testClass, TestPostgres::new);
    }

    /** A JDBC URL whose connections use the schema. */
    public String url() {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** Drops the schema and everything in it. */
    private void drop() {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new AssertionError("cannot drop schema " + schema, e);
        }
    }

    /**
     * Drops the test class's schema once its context is closed: its {@code afterTestClass} runs after
     * {@code @DirtiesContext}'s. Register it with
     * {@code @TestExecutionListeners(listeners = TestPostgres.DropSchema.class, mergeMode = MERGE_WITH_DEFAULTS)}.
     */
    public static final class DropSchema implements TestExecutionListener, Ordered {
        @Override
        public int getOrder() {
            return 0;
        }

        @Override
        public void afterTestClass(TestContext testContext) {
            TestPostgres postgres = SCHEMAS.remove(testContext.getTestClass());
            if (postgres != null) {
                postgres.drop();
            }
        }
    }
}
