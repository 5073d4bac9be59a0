package dev.supervisor.tests.jdbc;

import dev.supervisor.jdbc.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A migrated database for one test class, and plain SQL on connections of its own, as another
 * program would use it: a {@link dev.supervisor.testsupport.DatabaseFixture} with a {@link Database} on it.
 */
public interface TestDatabase {

    /** The migrated database (pool, dialect, dedicated connections). */
    Database database();

    /** A new plain JDBC connection (not from the pool), in the test's schema; the caller closes it. */
    Connection plainConnection() throws SQLException;

    /** Runs statements in one plain connection, autocommit. */
    void sql(String... statements);

    /** A single number from a query on a plain connection. */
    long number(String query);

    /** The first column of every row of a query on a plain connection, as text. */
    List<String> strings(String query);
}
