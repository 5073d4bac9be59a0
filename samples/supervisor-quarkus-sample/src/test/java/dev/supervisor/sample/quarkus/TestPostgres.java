package dev.supervisor.sample.quarkus;

import dev.supervisor.testsupport.PostgresFixture;
import dev.supervisor.testsupport.TestServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The test PostgreSQL for the sample: a condition that skips a test class when the server is
 * unreachable (or fails it when {@code $CI} is set), evaluated before Quarkus starts the
 * application, and a test resource that gives the application a fresh schema
 * ({@link PostgresFixture}), dropped when it stops.
 */
final class TestPostgres {

    private TestPostgres() {
    }

    /** Evaluated before Quarkus starts the application. */
    public static final class Reachable implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return TestServer.postgres().condition();
        }
    }

    /** A schema with a random suffix for the application's datasource. */
    public static final class Schema implements QuarkusTestResourceLifecycleManager {
        private final PostgresFixture postgres = new PostgresFixture("sv_quarkus_sample");

        @Override
        public Map<String, String> start() {
            postgres.start();
            return Map.of("quarkus.datasource.jdbc.url", postgres.url());
        }

        @Override
        public void stop() {
            postgres.close();
        }
    }
}
