package dev.supervisor.spring.boot;

import dev.supervisor.testsupport.MariaDbFixture;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.core.Ordered;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;
import org.springframework.test.context.TestExecutionListeners;

/**
 * The application on the test MariaDB with Spring Boot's DataSource, in a database of its own
 * ({@link MariaDbFixture}: skipped when unreachable, failing when {@code $CI} is set), dropped once
 * the context is closed. The URL carries the time zone parameters docs/spring-boot.md tells a
 * MariaDB user to add.
 */
@DirtiesContext
@TestExecutionListeners(listeners = MariaDbSupervisorApplicationTest.DropDatabase.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
class MariaDbSupervisorApplicationTest extends SupervisorApplicationScenarios {

    private static final MariaDbFixture MARIADB = new MariaDbFixture("sv_app");

    @BeforeAll
    static void mariadb() {
        MARIADB.start();
    }

    @DynamicPropertySource
    static void dataSource(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> MARIADB.url() + (MARIADB.url().contains("?") ? "&" : "?")
                + "connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&preserveInstants=true");
    }

    /** Drops the database after the context closed (its afterTestClass runs after DirtiesContext's). */
    static final class DropDatabase implements TestExecutionListener, Ordered {
        @Override
        public int getOrder() {
            return 0;
        }

        @Override
        public void afterTestClass(TestContext testContext) {
            MARIADB.close();
        }
    }
}
