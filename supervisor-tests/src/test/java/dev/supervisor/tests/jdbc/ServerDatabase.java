package dev.supervisor.tests.jdbc;

/** A {@link TestDatabase} on a server that other JVMs reach by URL: a schema (a database, on MariaDB) of the test class's own. */
public interface ServerDatabase extends TestDatabase {

    /** The server's JDBC URL, without the test's schema (see {@link #schema()}). */
    String url();

    /** The schema this class's tables live in (on MariaDB, its database). */
    String schema();
}
