package dev.supervisor.tests.jdbc;

/** A {@link TestDatabase} on a server that other JVMs reach by URL: a schema (a database, on MariaDB) of the test class's own. */
public interface ServerDatabase extends TestDatabase {

    /** The JDBC URL of the test's schema (PostgreSQL: {@code currentSchema} set; MariaDB: the database in its path). */
    String url();

    /** The schema this class's tables live in (on MariaDB, its database). */
    String schema();
}
