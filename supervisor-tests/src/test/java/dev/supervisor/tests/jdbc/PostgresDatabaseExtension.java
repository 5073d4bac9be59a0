package dev.supervisor.tests.jdbc;

import dev.supervisor.jdbc.Database;
import dev.supervisor.testsupport.PostgresFixture;
import dev.supervisor.testsupport.TestServer;

/**
 * The test PostgreSQL for one test class ({@link PostgresFixture}: a schema of its own, dropped
 * afterwards; skipped when unreachable, failing when {@code $CI} is set), with a migrated
 * {@link Database} on it whose connections carry the schema's {@link #applicationName()}.
 */
public final class PostgresDatabaseExtension extends PostgresFixture implements ServerDatabase {

    private Database database;

    /** The server of {@code $SUPERVISOR_TEST_PG_URL}. */
    public PostgresDatabaseExtension() {
    }

    /** The server at url (a JDBC URL without a schema), for a test that needs another server than the shared one. */
    public PostgresDatabaseExtension(String url) {
        super(TestServer.postgres().at(url), null);
    }

    @Override
    protected void opened() {
        database = attach(Database.builder(serverUrl()).schema(schema()).applicationName(applicationName()).open());
    }

    @Override
    public Database database() {
        return database;
    }
}
