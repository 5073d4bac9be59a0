package dev.supervisor.jdbc;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** {@link ClusterModeConformance} on MariaDB, in a database of its own per test. */
class MariaDbClusterModeTest extends ClusterModeConformance {

    private MariaDbSchema db;

    @BeforeEach
    void open() {
        db = new MariaDbSchema("sv_cluster");
    }

    @AfterEach
    void close() throws SQLException {
        closeNodes();
        if (db != null) {
            db.close();
        }
    }

    @Override
    Database database() {
        return db.database;
    }

    @Override
    void sql(String... statements) {
        db.sql(statements);
    }

    @Override
    long number(String query) {
        return db.number(query);
    }

    @Override
    List<String> strings(String query) {
        return db.strings(query);
    }
}
