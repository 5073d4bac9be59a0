package dev.supervisor.sample;

import dev.supervisor.testsupport.PostgresFixture;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.core.Ordered;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;
import org.springframework.test.context.TestExecutionListeners;

/**
 * The sample with its {@code postgres} profile, as docs/spring-boot.md runs it, on the test
 * PostgreSQL in a schema of its own ({@link PostgresFixture}), dropped once the context is closed.
 */
@ActiveProfiles("postgres")
@DirtiesContext
@TestExecutionListeners(listeners = PostgresSampleApplicationTest.DropSchema.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
class PostgresSampleApplicationTest extends SampleScenarios {

    private static final PostgresFixture POSTGRES = new PostgresFixture("sv_sample");

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
