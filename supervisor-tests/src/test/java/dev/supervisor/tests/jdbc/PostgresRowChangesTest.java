package dev.supervisor.tests.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Row changes by plain SQL on PostgreSQL; changes arrive by LISTEN/NOTIFY. */
class PostgresRowChangesTest extends RowChangesConformanceTest {

    @RegisterExtension
    static final PostgresDatabaseExtension POSTGRES = new PostgresDatabaseExtension();

    @Override
    TestDatabase db() {
        return POSTGRES;
    }
}
