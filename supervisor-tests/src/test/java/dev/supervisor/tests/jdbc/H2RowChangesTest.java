package dev.supervisor.tests.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Row changes by plain SQL on embedded H2; changes found by revision polling. */
class H2RowChangesTest extends RowChangesConformanceTest {

    @RegisterExtension
    static final H2DatabaseExtension H2 = new H2DatabaseExtension();

    @Override
    TestDatabase db() {
        return H2;
    }
}
