package dev.supervisor.tests.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Groups defined by plain SQL on PostgreSQL; changes arrive by LISTEN/NOTIFY. */
class PostgresGroupsTest extends GroupsConformanceTest {

    @RegisterExtension
    static final PostgresDatabaseExtension POSTGRES = new PostgresDatabaseExtension();

    @Override
    TestDatabase db() {
        return POSTGRES;
    }
}
