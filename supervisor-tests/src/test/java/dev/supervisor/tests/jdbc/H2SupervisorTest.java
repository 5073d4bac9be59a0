package dev.supervisor.tests.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The end-to-end suite on embedded H2 (a file in automatic mixed mode); changes found by revision polling. */
class H2SupervisorTest extends JdbcSupervisorConformanceTest {

    @RegisterExtension
    static final H2DatabaseExtension H2 = new H2DatabaseExtension();

    @Override
    TestDatabase db() {
        return H2;
    }
}
