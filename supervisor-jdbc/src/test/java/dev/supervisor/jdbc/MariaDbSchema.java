package dev.supervisor.jdbc;

import dev.supervisor.testsupport.MariaDbFixture;

/**
 * A fresh database on the test MariaDB ({@link MariaDbFixture}: skipped when unreachable, failing
 * when {@code $CI} is set) with a migrated {@link Database} open on it; closing closes both and
 * drops the database.
 */
final class MariaDbSchema extends MariaDbFixture {

    final Database database;

    MariaDbSchema(String prefix) {
        super(prefix);
        start();
        database = attach(Database.builder(url()).schema(databaseName()).poolSize(4).open());
    }
}
