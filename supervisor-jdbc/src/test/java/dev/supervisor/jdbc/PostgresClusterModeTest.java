package dev.supervisor.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** {@link ClusterModeConformance} on PostgreSQL, in a schema of its own per test. */
class PostgresClusterModeTest extends ClusterModeConformance {

    private PostgresSchema pg;

    @BeforeEach
    void open() {
        pg = new PostgresSchema("sv_cluster");
    }

    @AfterEach
    void close() throws SQLException {
        closeNodes();
        if (pg != null) {
            pg.close();
        }
    }

    @Override
    Database database() {
        return pg.database;
    }

    @Override
    void sql(String... statements) {
        pg.sql(statements);
    }

    @Override
    long number(String query) {
        try (Connection connection = pg.connection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError("SQL failed: " + e.getMessage(), e);
        }
    }

    @Override
    List<String> strings(String query) {
        try (Connection connection = pg.connection(); Statement statement = connection.createStatement();
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
