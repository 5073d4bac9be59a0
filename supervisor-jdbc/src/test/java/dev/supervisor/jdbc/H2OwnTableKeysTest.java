package dev.supervisor.jdbc;

import org.junit.jupiter.api.AfterEach;

/** {@link OwnTableKeysConformance} on H2. */
class H2OwnTableKeysTest extends OwnTableKeysConformance {

    private final H2Memory h2 = new H2Memory();

    @AfterEach
    void close() {
        h2.close();
    }

    @Override
    Database database() {
        return h2.database;
    }

    @Override
    void sql(String... statements) {
        h2.sql(statements);
    }

    @Override
    String numbers() {
        return "SELECT X, 'p' || X FROM SYSTEM_RANGE(1, " + ROWS + ")";
    }

    @Override
    String uuids() {
        return "SELECT RANDOM_UUID(), 'p' FROM SYSTEM_RANGE(1, " + ROWS + ")";
    }

    @Override
    String[] changeTrigger(String table, String keyColumn) {
        return new String[] {"CREATE TRIGGER " + table + "_changes AFTER INSERT, UPDATE, DELETE ON " + table
                + " FOR EACH ROW CALL '" + H2ChangeTrigger.class.getName() + "'"};
    }
}
