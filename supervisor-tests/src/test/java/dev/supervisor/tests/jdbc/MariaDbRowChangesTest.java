package dev.supervisor.tests.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Row changes by plain SQL on MariaDB; changes arrive through the change log its triggers fill. */
class MariaDbRowChangesTest extends RowChangesConformanceTest {

    @RegisterExtension
    static final MariaDbDatabaseExtension MARIADB = new MariaDbDatabaseExtension();

    @Override
    TestDatabase db() {
        return MARIADB;
    }
}
