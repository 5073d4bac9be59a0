package dev.supervisor.jdbc;

import dev.supervisor.testsupport.PostgresFixture;

/**
 * A fresh schema on the test PostgreSQL ({@link PostgresFixture}: skipped when unreachable, failing
 * when {@code $CI} is set) with a migrated {@link Database} open on it; closing closes both and
 * drops the schema.
 */
final class PostgresSchema extends PostgresFixture {

    final Database database;

    PostgresSchema(String prefix) {
        super(prefix);
        start();
        database = attach(Database.builder(serverUrl()).schema(schema()).open());
    }
}
