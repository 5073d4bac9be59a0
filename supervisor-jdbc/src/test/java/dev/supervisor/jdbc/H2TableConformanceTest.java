package dev.supervisor.jdbc;

import dev.supervisor.Table;
import dev.supervisor.conformance.TableConformanceTest;
import org.junit.jupiter.api.AfterEach;

/** {@link JdbcTable} on H2 keeps the table contract. */
class H2TableConformanceTest extends TableConformanceTest {
    private final H2Memory h2 = new H2Memory();
    private final JdbcTable<String, String> table = JdbcTable.builder(h2.database, JdbcTableConformance::decode).build();

    @AfterEach
    void close() {
        table.close();
        h2.close();
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
