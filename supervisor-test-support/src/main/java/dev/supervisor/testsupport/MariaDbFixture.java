package dev.supervisor.testsupport;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fresh database on the test MariaDB ({@code $SUPERVISOR_TEST_MARIADB_URL}, default
 * {@value TestServer#MARIADB_DEFAULT_URL}), named with a random suffix, dropped with everything in
 * it on close. When the server is unreachable the test is skipped, or fails when {@code $CI} is set
 * ({@link TestServer}). See {@link DatabaseFixture} for the life cycle.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final MariaDbFixture MARIADB = new MariaDbFixture();
 * ...
 * Database database = MARIADB.attach(Database.connect(MARIADB.url()));
 * }</pre>
 */
public class MariaDbFixture extends ServerFixture {

    /** {@code jdbc:mariadb://HOSTS/DATABASE?PARAMETERS}: the database is what the fixture replaces. */
    private static final Pattern URL = Pattern.compile("(jdbc:(?:mariadb|mysql)://[^/?]*)(?:/[^?]*)?(\\?.*)?");

    /** A database on the test server, named after the test class (as an extension) or {@code sv}. */
    public MariaDbFixture() {
        this(TestServer.mariaDb(), null);
    }

    /** A database on the test server whose name starts with {@code prefix}. */
    public MariaDbFixture(String prefix) {
        this(TestServer.mariaDb(), prefix);
    }

    /**
     * A database on {@code server} (say {@code TestServer.mariaDb().at(url)} for a server of the
     * test's own) whose name starts with {@code prefix}, or null as for {@link #MariaDbFixture()}.
     *
     * @throws IllegalArgumentException when the server's URL is not a MariaDB or MySQL JDBC URL
     */
    public MariaDbFixture(TestServer server, String prefix) {
        super(server, prefix);
        if (!URL.matcher(server.url()).matches()) {
            throw new IllegalArgumentException("not a MariaDB or MySQL JDBC URL: " + server.url());
        }
    }

    /** The fresh database's name; null before {@link #start()} or when the server was unreachable. */
    public final String databaseName() {
        return name();
    }

    /** The server's URL with the fresh database in place of the one it names. */
    @Override
    public String url() {
        Matcher m = URL.matcher(serverUrl());
        if (!m.matches()) {
            throw new IllegalStateException("not a MariaDB or MySQL JDBC URL: " + serverUrl());
        }
        return m.group(1) + "/" + databaseName() + (m.group(2) == null ? "" : m.group(2));
    }

    @Override
    protected String createStatement(String name) {
        return "CREATE DATABASE " + name;
    }

    @Override
    protected String dropStatement(String name) {
        return "DROP DATABASE IF EXISTS " + name;
    }
}
