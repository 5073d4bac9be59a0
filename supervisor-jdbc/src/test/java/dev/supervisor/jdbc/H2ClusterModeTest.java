package dev.supervisor.jdbc;

import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** {@link ClusterModeConformance} on H2 (in memory; the nodes share it through one JVM). */
class H2ClusterModeTest extends ClusterModeConformance {

    private final H2Memory h2 = new H2Memory();

    @AfterEach
    void close() {
        closeNodes();
        h2.close();
    }

    @Override
    Database database() {
        return h2.database;
    }

    @Override
    void sql(String... statements) {
        h2.sql(statements);
    }

    @Override
    long number(String query) {
        return h2.number(query);
    }

    @Override
    List<String> strings(String query) {
        return h2.strings(query);
    }
}
