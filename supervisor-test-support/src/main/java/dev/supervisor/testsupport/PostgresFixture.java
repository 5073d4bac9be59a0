package dev.supervisor.testsupport;

/**
 * A fresh schema on the test PostgreSQL ({@code $SUPERVISOR_TEST_PG_URL}, default
 * {@value TestServer#POSTGRES_DEFAULT_URL}), named with a random suffix, dropped with everything in
 * it on close. When the server is unreachable the test is skipped, or fails when {@code $CI} is set
 * ({@link TestServer}). See {@link DatabaseFixture} for the life cycle.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresFixture POSTGRES = new PostgresFixture();
 * ...
 * Database database = POSTGRES.attach(Database.builder(POSTGRES.serverUrl()).schema(POSTGRES.schema())
 *         .applicationName(POSTGRES.applicationName()).open());
 * }</pre>
 */
public class PostgresFixture extends ServerFixture {

    /** A schema on the test server, named after the test class (as an extension) or {@code sv}. */
    public PostgresFixture() {
        this(TestServer.postgres(), null);
    }

    /** A schema on the test server whose name starts with {@code prefix}. */
    public PostgresFixture(String prefix) {
        this(TestServer.postgres(), prefix);
    }

    /**
     * A schema on {@code server} (say {@code TestServer.postgres().at(url)} for a server of the
     * test's own) whose name starts with {@code prefix}, or null as for {@link #PostgresFixture()}.
     */
    public PostgresFixture(TestServer server, String prefix) {
        super(server, prefix);
    }

    /** The fresh schema's name; null before {@link #start()} or when the server was unreachable. */
    public final String schema() {
        return name();
    }

    /** The server's URL with {@code currentSchema} set to the fresh schema. */
    @Override
    public String url() {
        return TestServer.withParameter(serverUrl(), "currentSchema=" + schema());
    }

    /**
     * An {@code application_name} unique to this schema, for the connections a test may terminate:
     * selecting backends by it touches only this test's, never another build's on the same server.
     */
    public final String applicationName() {
        return "sv-test-" + schema().substring(schema().lastIndexOf('_') + 1);
    }

    @Override
    protected String createStatement(String name) {
        return "CREATE SCHEMA " + name;
    }

    @Override
    protected String dropStatement(String name) {
        return "DROP SCHEMA IF EXISTS " + name + " CASCADE";
    }
}
