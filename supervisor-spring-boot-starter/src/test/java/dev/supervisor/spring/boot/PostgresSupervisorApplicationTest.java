package dev.supervisor.spring.boot;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestExecutionListeners;

/**
 * The application on the local PostgreSQL, in a schema of its own (see {@link TestPostgres}),
 * dropped once the context is closed.
 */
@DirtiesContext
@TestExecutionListeners(listeners = TestPostgres.DropSchema.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
class PostgresSupervisorApplicationTest extends SupervisorApplicationScenarios {

    @DynamicPropertySource
    static void dataSource(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestPostgres.of(PostgresSupervisorApplicationTest.class).url());
    }
}
