package dev.supervisor.tests.jdbc;

import dev.supervisor.jdbc.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A migrated database for one test class, and plain SQL on connections of its own, as another program would use. */
public interface TestDatabase {

    /** The migrated database (pool, dialect, dedicated connections). */
    Database database();

    /** A new plain JDBC connection (not from the pool), in the test's schema; the caller closes it. */
    Connection plainConnection() throws SQLException;

    /** Runs statements in one plain connection, autocommit. */
    default void sql(String... statements) {
        try (Connection connection = plainConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new AssertionError("SQL failed: " + e.getMessage(), e);
        }
    }

    /** A single number from a query on a plain connection. */
    default long number(String query) {
        try (Connection connection = plainConnection(); Statement statement = connection.createStatement();
             var rs = statement.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError("SQL failed: " + e.getMessage(), e);
        }
    }

    /** The first column of every row of a query on a plain connection, as text. */
    default List<String> strings(String query) {
        try (Connection connection = plainConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new AssertionError("SQL failed: " + e.getMessage(), e);
        }
    }
}
