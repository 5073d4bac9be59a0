package dev.supervisor.tests.cluster;

import dev.supervisor.Clock;
import dev.supervisor.jdbc.Database;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * A cluster node in a JVM of its own, for kill -9 and SIGSTOP tests: {@code ClusterNodeMain <url> <schema>
 * <name> <ttl ms> <renew ms> <margin ms> <stop ms> [fenced]}. Its workers write to {@code cluster_history};
 * with {@code fenced} they also make {@link FencedWrites} through a pool of their own (application name
 * {@code <name>-work}), with the ttl as the fence's idle timeout.
 * The history goes to the node's database, or to {@code -D}{@value #HISTORY_URL} (a JDBC URL) and
 * {@value #HISTORY_SCHEMA} when given (a server that stays up while the nodes' one restarts).
 * Prints {@code READY <node id>} once launched; closes gracefully when its standard input ends.
 */
public final class ClusterNodeMain {

    /** The system property naming the history's server, if not the node's. */
    static final String HISTORY_URL = "cluster.history.url";
    /** The system property naming the history's schema on that server. */
    static final String HISTORY_SCHEMA = "cluster.history.schema";

    private ClusterNodeMain() {
    }

    public static void main(String[] args) throws IOException {
        String url = args[0];
        String schema = args[1];
        String name = args[2];
        Timing timing = Timing.fromArguments(args, 3);
        boolean fenced = args.length > 7 && "fenced".equals(args[7]);
        String historyUrl = System.getProperty(HISTORY_URL, url);
        String historySchema = System.getProperty(HISTORY_SCHEMA, schema);
        try (Database logDatabase = Database.builder(historyUrl).applicationName(name + "-log").schema(historySchema)
                .poolSize(2).connectionTimeout(Duration.ofSeconds(2)).migrate(false).open();
             Database workDatabase = Database.builder(url).applicationName(name + "-work").schema(schema)
                .poolSize(fenced ? 16 : 1).connectionTimeout(Duration.ofSeconds(2)).migrate(false).open()) {
            ClusterNode node = ClusterNode.start(url, schema, name, timing, Clock.system(), null,
                    new HistoryLog(logDatabase.dataSource(), logDatabase.dialect()),
                    fenced ? new FencedWrites(workDatabase.dataSource(), workDatabase.dialect(), timing.ttl().multipliedBy(2)) : null);
            System.out.println("READY " + node.ownership.nodeId());
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // runs until the test closes our standard input (or kills us)
            }
            node.close();
        }
    }
}
