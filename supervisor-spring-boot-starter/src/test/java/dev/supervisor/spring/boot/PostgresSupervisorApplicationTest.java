package dev.supervisor.spring.boot;

import dev.supervisor.testsupport.PostgresFixture;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.core.Ordered;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;
import org.springframework.test.context.TestExecutionListeners;

/**
 * The application on the test PostgreSQL, in a schema of its own ({@link PostgresFixture}: skipped
 * when unreachable, failing when {@code $CI} is set), dropped once the context is closed.
 */
@DirtiesContext
@TestExecutionListeners(listeners = PostgresSupervisorApplicationTest.DropSchema.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
class PostgresSupervisorApplicationTest extends SupervisorApplicationScenarios {

    private static final PostgresFixture POSTGRES = new PostgresFixture("sv_app");

    @BeforeAll
    static void postgres() {
        POSTGRES.start();
    }

    @DynamicPropertySource
    static void dataSource(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", POSTGRES::url);
    }

    /** Drops the schema after the context closed (its afterTestClass runs after DirtiesContext's). */
    static final class DropSchema implements TestExecutionListener, Ordered {
        @Override
        public int getOrder() {
            return 0;
        }

        @Override
        public void afterTestClass(TestContext testContext) {
            POSTGRES.close();
        }
    }
}
