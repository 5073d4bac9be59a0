package dev.supervisor.tests.jdbc;

import dev.supervisor.jdbc.Database;
import dev.supervisor.testsupport.MariaDbFixture;

/**
 * The test MariaDB for one test class ({@link MariaDbFixture}: a database of its own, dropped
 * afterwards; skipped when unreachable, failing when {@code $CI} is set), with a migrated
 * {@link Database} on it.
 */
public final class MariaDbDatabaseExtension extends MariaDbFixture implements ServerDatabase {

    private Database database;

    @Override
    protected void opened() {
        database = attach(Database.builder(url()).schema(databaseName()).open());
    }

    @Override
    public Database database() {
        return database;
    }

    /** The database this class's tables live in (MariaDB's schemas are databases). */
    @Override
    public String schema() {
        return databaseName();
    }
}
