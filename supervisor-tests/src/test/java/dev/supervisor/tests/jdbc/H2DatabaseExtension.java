package dev.supervisor.tests.jdbc;

import dev.supervisor.jdbc.Database;
import dev.supervisor.testsupport.H2Fixture;

/**
 * A fresh embedded H2 database per test class ({@link H2Fixture} in a file of a temporary
 * directory, deleted afterwards), opened the way an embedder opens it ({@link Database#embedded}:
 * H2's automatic mixed mode). Register with {@code @RegisterExtension static final H2DatabaseExtension}.
 */
public final class H2DatabaseExtension extends H2Fixture implements TestDatabase {

    private Database database;

    public H2DatabaseExtension() {
        super(Database::h2FileUrl);
    }

    @Override
    protected void opened() {
        database = attach(Database.embedded(file()));
    }

    @Override
    public Database database() {
        return database;
    }
}
