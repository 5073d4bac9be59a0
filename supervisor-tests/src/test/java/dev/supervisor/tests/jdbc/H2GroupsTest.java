package dev.supervisor.tests.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Groups defined by plain SQL on embedded H2; changes found by revision polling. */
class H2GroupsTest extends GroupsConformanceTest {

    @RegisterExtension
    static final H2DatabaseExtension H2 = new H2DatabaseExtension();

    @Override
    TestDatabase db() {
        return H2;
    }
}
