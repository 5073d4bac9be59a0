package dev.supervisor.testing;

import dev.supervisor.Table;
import dev.supervisor.conformance.TableConformanceTest;

/** {@link InMemoryTable} keeps the table contract. */
class InMemoryTableConformanceTest extends TableConformanceTest {
    private final InMemoryTable<String, String> table = new InMemoryTable<>();

    @Override
    protected Table<String, String> table() {
        return table;
    }

    @Override
    protected void write(String key, String payload) {
        if (payload.startsWith("bad")) {
            table.putUndecodable(key, new IllegalArgumentException("cannot parse '" + payload + "'"));
        } else {
            table.put(key, payload);
        }
    }

    @Override
    protected void delete(String key) {
        table.remove(key);
    }
}
