package dev.supervisor.spring.boot;

import org.springframework.test.context.TestPropertySource;

/** The application on an in-memory H2 database of its own. */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:supervisor-app;DB_CLOSE_DELAY=-1")
class H2SupervisorApplicationTest extends SupervisorApplicationScenarios {
}
