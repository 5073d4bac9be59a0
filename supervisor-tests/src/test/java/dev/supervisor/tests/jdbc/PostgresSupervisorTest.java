package dev.supervisor.tests.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The end-to-end suite on PostgreSQL; changes arrive by LISTEN/NOTIFY. */
class PostgresSupervisorTest extends JdbcSupervisorConformanceTest {

    @RegisterExtension
    static final PostgresDatabaseExtension POSTGRES = new PostgresDatabaseExtension();

    @Override
    TestDatabase db() {
        return POSTGRES;
    }
}
