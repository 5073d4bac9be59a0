package dev.supervisor.spring.boot;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.core.Ordered;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;
import org.springframework.test.context.TestExecutionListeners;

/**
 * The application on the local MariaDB, with Spring Boot's DataSource, in a database of its own (see {@link TestMariaDb}),
 * dropped once the context is closed.
 */
@DirtiesContext
@TestExecutionListeners(listeners = MariaDbSupervisorApplicationTest.DropSchema.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
class MariaDbSupervisorApplicationTest extends SupervisorApplicationScenarios {

    private static TestMariaDb mariadb;

    @BeforeAll
    static void mariadb() {
        mariadb = new TestMariaDb(MariaDbSupervisorApplicationTest.class);
    }

    @DynamicPropertySource
    static void dataSource(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> mariadb.url());
    }

    /** Drops the database after the context closed (its afterTestClass runs after DirtiesContext's). */
    static final class DropSchema implements TestExecutionListener, Ordered {
        @Override
        public int getOrder() {
            return 0;
        }

        @Override
        public void afterTestClass(TestContext testContext) {
            if (mariadb != null) {
                mariadb.drop();
            }
        }
    }
}
