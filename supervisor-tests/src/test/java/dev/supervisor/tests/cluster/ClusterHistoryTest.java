package dev.supervisor.tests.cluster;

import dev.supervisor.tests.jdbc.PostgresDatabaseExtension;
import dev.supervisor.tests.jdbc.ServerDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ClusterHistoryScenario} on PostgreSQL: a node's sessions are its backends, by application_name. */
class ClusterHistoryTest extends ClusterHistoryScenario {

    @RegisterExtension
    static final PostgresDatabaseExtension POSTGRES = new PostgresDatabaseExtension();

    @Override
    ServerDatabase db() {
        return POSTGRES;
    }

    @Override
    String nodeUrl(String name) {
        return POSTGRES.url();
    }

    @Override
    void endSessions(ClusterNode node) {
        POSTGRES.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + node.name + "'");
    }

    @Override
    String freezesTable() {
        return "CREATE TABLE IF NOT EXISTS cluster_freezes (node VARCHAR(300) NOT NULL,"
                + " frozen_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), thawed_at TIMESTAMP WITH TIME ZONE)";
    }
}
