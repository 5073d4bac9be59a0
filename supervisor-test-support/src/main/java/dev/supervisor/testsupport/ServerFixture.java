package dev.supervisor.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;

/**
 * A fresh place on a database server ({@link TestServer}): made by one statement on the server's
 * URL once the server is found reachable (else the test is skipped, or fails when {@code $CI} is
 * set), dropped by another. See {@link DatabaseFixture} for the life cycle.
 */
public abstract class ServerFixture extends DatabaseFixture {

    private final TestServer server;
    private String name;

    /**
     * @param server where the place is made
     * @param prefix the start of its name, or null (see {@link DatabaseFixture#DatabaseFixture(String)})
     */
    protected ServerFixture(TestServer server, String prefix) {
        super(prefix);
        this.server = Objects.requireNonNull(server, "server");
    }

    /** The server the place is on. */
    public final TestServer server() {
        return server;
    }

    /** The server's JDBC URL as configured, not naming the fresh place. */
    public final String serverUrl() {
        return server.url();
    }

    /** The fresh place's name; null before {@link #start()}, after {@link #close()} or when the server was unreachable. */
    protected final String name() {
        return name;
    }

    /** The statement that makes the place called {@code name}. */
    protected abstract String createStatement(String name);

    /** The statement that drops the place called {@code name} with everything in it. */
    protected abstract String dropStatement(String name);

    @Override
    protected final void create(String name) {
        server.requireReachable();
        execute(createStatement(name));
        this.name = name;
    }

    @Override
    protected final void drop() {
        execute(dropStatement(name));
        name = null;
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(server.url());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError("'" + sql + "' failed on " + server.url() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return server.name() + " " + server.url() + " " + name;
    }
}
