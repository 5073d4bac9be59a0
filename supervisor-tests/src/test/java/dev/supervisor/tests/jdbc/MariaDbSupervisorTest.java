package dev.supervisor.tests.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The end-to-end suite on MariaDB; changes arrive through the change log its triggers fill. */
class MariaDbSupervisorTest extends JdbcSupervisorConformanceTest {

    @RegisterExtension
    static final MariaDbDatabaseExtension MARIADB = new MariaDbDatabaseExtension();

    @Override
    TestDatabase db() {
        return MARIADB;
    }
}
