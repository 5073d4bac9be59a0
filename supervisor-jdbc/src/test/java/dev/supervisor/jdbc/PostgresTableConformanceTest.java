package dev.supervisor.jdbc;

import dev.supervisor.Table;
import dev.supervisor.conformance.TableConformanceTest;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link JdbcTable} on PostgreSQL ({@code $SUPERVISOR_TEST_PG_URL}) keeps the table contract, in a
 * schema of its own per test. Skipped when the server is unreachable, unless {@code $CI} is set:
 * then it fails, so CI never passes by skipping.
 */
class PostgresTableConformanceTest extends TableConformanceTest {

    private PostgresSchema pg;
    private JdbcTable<String, String> table;

    @BeforeEach
    void open() {
        pg = new PostgresSchema("sv_conformance");
        table = JdbcTable.builder(pg.database, JdbcTableConformance::decode).build();
    }

    @AfterEach
    void close() throws SQLException {
        if (pg == null) {
            return;
        }
        table.close();
        pg.close();
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
}
