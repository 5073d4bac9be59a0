package dev.supervisor.jdbc;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** {@link OwnTableKeysConformance} on PostgreSQL, in a schema of its own per test. */
class PostgresOwnTableKeysTest extends OwnTableKeysConformance {

    private PostgresSchema pg;

    @BeforeEach
    void open() {
        pg = new PostgresSchema("sv_keys");
    }

    @AfterEach
    void close() throws SQLException {
        if (pg != null) {
            pg.close();
        }
    }

    @Override
    Database database() {
        return pg.database;
    }

    @Override
    void sql(String... statements) {
        pg.sql(statements);
    }

    @Override
    String numbers() {
        return "SELECT g, 'p' || g FROM generate_series(1, " + ROWS + ") g";
    }

    @Override
    String uuids() {
        return "SELECT gen_random_uuid(), 'p' FROM generate_series(1, " + ROWS + ")";
    }
}
