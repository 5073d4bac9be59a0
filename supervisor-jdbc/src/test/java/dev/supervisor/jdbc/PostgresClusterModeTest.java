package dev.supervisor.jdbc;

import java.sql.SQLException;
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
        return pg.number(query);
    }

    @Override
    List<String> strings(String query) {
        return pg.strings(query);
    }
}
