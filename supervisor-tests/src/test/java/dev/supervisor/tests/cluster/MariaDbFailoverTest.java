package dev.supervisor.tests.cluster;

import dev.supervisor.tests.jdbc.MariaDbDatabaseExtension;
import dev.supervisor.tests.jdbc.ServerDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link FailoverScenario} on MariaDB. A node is cut off by refusing its new connections and
 * killing every session of this class's database but the test's own ({@code KILL CONNECTION}):
 * without {@code performance_schema} MariaDB cannot tell one node's sessions from another's, so the
 * other node loses its sessions too (and opens new ones at once), which the scenario's claim that
 * nothing stops must survive as well.
 */
class MariaDbFailoverTest extends FailoverScenario {

    @RegisterExtension
    static final MariaDbDatabaseExtension MARIADB = new MariaDbDatabaseExtension();

    @Override
    ServerDatabase db() {
        return MARIADB;
    }

    @Override
    String beatWithinASecond(String nodeId) {
        return "SELECT COUNT(*) FROM supervisor_nodes WHERE node = '" + nodeId
                + "' AND heartbeat_at > CURRENT_TIMESTAMP(6) - INTERVAL 1 SECOND";
    }

    @Override
    void cutOff(ClusterNode node) {
        node.dataSource.off();
        for (String id : MARIADB.strings("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '" + MARIADB.schema()
                + "' AND ID <> CONNECTION_ID()")) {
            try {
                MARIADB.sql("KILL CONNECTION " + id);
            } catch (AssertionError gone) {
                // the session ended meanwhile
            }
        }
    }
}
