package dev.supervisor.tests.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Groups defined by plain SQL on MariaDB; changes arrive through the change log its triggers fill. */
class MariaDbGroupsTest extends GroupsConformanceTest {

    @RegisterExtension
    static final MariaDbDatabaseExtension MARIADB = new MariaDbDatabaseExtension();

    @Override
    TestDatabase db() {
        return MARIADB;
    }
}
