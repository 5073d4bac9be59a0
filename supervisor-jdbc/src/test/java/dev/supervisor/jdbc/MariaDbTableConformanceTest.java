package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervisor.Table;
import dev.supervisor.conformance.TableConformanceTest;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbcTable} on MariaDB ({@code $SUPERVISOR_TEST_MARIADB_URL}) keeps the table contract, in a
 * database of its own per test. Skipped when the server is unreachable, unless {@code $CI} is set:
 * then it fails, so CI never passes by skipping.
 */
class MariaDbTableConformanceTest extends TableConformanceTest {

    private MariaDbSchema db;
    private JdbcTable<String, String> table;

    @BeforeEach
    void open() {
        db = new MariaDbSchema("sv_conformance");
        table = JdbcTable.builder(db.database, JdbcTableConformance::decode).build();
    }

    @AfterEach
    void close() throws SQLException {
        if (db == null) {
            return;
        }
        table.close();
        db.close();
    }

    @Override
    protected Table<String, String> table() {
        return table;
    }

    @Override
    protected void write(String key, String payload) {
        table.put(key, payload);
    }

    @Override
    protected void delete(String key) {
        table.remove(key);
    }

    /** Identifiers are checked against the words the table's own database reserves, when it is built. */
    @Test
    void aWordMariaDbReservesIsRefusedWhenTheTableIsBuilt() {
        assertThatThrownBy(() -> JdbcTable.builder(db.database, JdbcTableConformance::decode).keyColumn("rank").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'rank' is a reserved word in MariaDB/MySQL");
    }
}
