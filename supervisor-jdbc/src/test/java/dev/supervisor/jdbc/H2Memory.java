package dev.supervisor.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A fresh, migrated in-memory H2 database per test, and plain SQL on a connection of its own. */
final class H2Memory implements AutoCloseable {

    final String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    final Database database = Database.connect(url);

    /** Runs statements on a separate connection, as another program would. */
    void sql(String... statements) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new AssertionError("SQL failed: " + e.getMessage(), e);
        }
    }

    /** A single number from a query on a separate connection. */
    long number(String query) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
             var rs = statement.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError("SQL failed: " + e.getMessage(), e);
        }
    }

    /** The first column of every row of a query on a separate connection, as text. */
    List<String> strings(String query) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
             var rs = statement.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new AssertionError("SQL failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        sql("SHUTDOWN");
        database.close();
    }
}
