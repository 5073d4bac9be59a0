package dev.supervisor.sample;

import org.springframework.test.context.TestPropertySource;

/** The sample on an in-memory H2 database instead of its file. */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:sample;DB_CLOSE_DELAY=-1")
class H2SampleApplicationTest extends SampleScenarios {
}
