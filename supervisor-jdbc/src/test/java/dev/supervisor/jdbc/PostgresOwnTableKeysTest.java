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

    /** The recipe of docs/jdbc.md: one statement-level trigger per event, the function in this schema. */
    @Override
    String[] changeTrigger(String table, String keyColumn) {
        String function = " FOR EACH STATEMENT EXECUTE FUNCTION supervisor_notify_rows('" + keyColumn + "')";
        return new String[] {
            "CREATE TRIGGER " + table + "_notify_insert AFTER INSERT ON " + table + " REFERENCING NEW TABLE AS new_rows" + function,
            "CREATE TRIGGER " + table + "_notify_update AFTER UPDATE ON " + table
                    + " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows" + function,
            "CREATE TRIGGER " + table + "_notify_delete AFTER DELETE ON " + table + " REFERENCING OLD TABLE AS old_rows" + function,
            "CREATE TRIGGER " + table + "_notify_truncate AFTER TRUNCATE ON " + table
                    + " FOR EACH STATEMENT EXECUTE FUNCTION supervisor_notify_rows()"};
    }
}
