package dev.supervisor.tests.cluster;

import dev.supervisor.tests.jdbc.PostgresDatabaseExtension;
import dev.supervisor.tests.jdbc.ServerDatabase;
import java.sql.Connection;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link FailoverScenario} on PostgreSQL; a node is cut off by terminating its backends ({@code pg_terminate_backend}). */
class FailoverTest extends FailoverScenario {

    @RegisterExtension
    static final PostgresDatabaseExtension POSTGRES = new PostgresDatabaseExtension();

    @Override
    ServerDatabase db() {
        return POSTGRES;
    }

    @Override
    String beatWithinASecond(String nodeId) {
        return "SELECT COUNT(*) FROM supervisor_nodes WHERE node = '" + nodeId
                + "' AND heartbeat_at > clock_timestamp() - INTERVAL '1 second'";
    }

    @Override
    void cutOff(ClusterNode node) throws Exception {
        try (Connection admin = POSTGRES.plainConnection()) {
            node.cutOff(admin);
        }
    }
}
