package dev.supervisor.sample;

import dev.supervisor.spring.boot.TestPostgres;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestExecutionListeners;

/**
 * The sample with its {@code postgres} profile, as docs/spring-boot.md runs it, on the test
 * PostgreSQL in a schema of its own (dropped once the context is closed).
 */
@ActiveProfiles("postgres")
@DirtiesContext
@TestExecutionListeners(listeners = TestPostgres.DropSchema.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
class PostgresSampleApplicationTest extends SampleScenarios {

    @DynamicPropertySource
    static void dataSource(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestPostgres.of(PostgresSampleApplicationTest.class).url());
    }
}
