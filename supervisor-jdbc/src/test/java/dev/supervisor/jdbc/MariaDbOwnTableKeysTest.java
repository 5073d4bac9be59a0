package dev.supervisor.jdbc;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** {@link OwnTableKeysConformance} on MariaDB (its UUID type, 10.7+), in a database of its own per test. */
class MariaDbOwnTableKeysTest extends OwnTableKeysConformance {

    private MariaDbSchema db;

    @BeforeEach
    void open() {
        db = new MariaDbSchema("sv_keys");
    }

    @AfterEach
    void close() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    @Override
    Database database() {
        return db.database;
    }

    @Override
    void sql(String... statements) {
        db.sql(statements);
    }

    @Override
    String numbers() {
        return "SELECT seq, CONCAT('p', seq) FROM seq_1_to_" + ROWS;
    }

    @Override
    String uuids() {
        return "SELECT UUID(), 'p' FROM seq_1_to_" + ROWS;
    }

    /** The recipe of docs/jdbc.md: a trigger per event writing the change log, the key as text. */
    @Override
    String[] changeTrigger(String table, String keyColumn) {
        return MariaDbRecipe.changeTriggers(table, keyColumn);
    }
}
