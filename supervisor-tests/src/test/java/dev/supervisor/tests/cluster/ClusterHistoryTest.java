package dev.supervisor.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Clock;
import dev.supervisor.jdbc.Database;
import dev.supervisor.tests.jdbc.PostgresDatabaseExtension;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The history check: a randomized run of a cluster under node kills (kill -9 of a node JVM),
 * connection kills (a node cut off from the database for a while), graceful restarts and row
 * churn, while every worker logs its run as an interval (key, node, epoch, start, end) in
 * {@code cluster_history}, stamped by the database's clock through connections of the log's own.
 * Afterwards no two intervals of one key may overlap, and a key's epoch may never go back.
 *
 * <p>CI runs it for 20 s; {@code -Dsupervisor.cluster.history.seconds=60} runs it longer, and
 * {@code -Dsupervisor.cluster.history.seed=N} replays the choices of a run (printed at its start;
 * the timing of course differs).
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class ClusterHistoryTest {

    @RegisterExtension
    static final PostgresDatabaseExtension POSTGRES = new PostgresDatabaseExtension();

    private static final Duration RUN = Duration.ofSeconds(Long.getLong("supervisor.cluster.history.seconds", 20));
    private static final Timing TIMING = Timing.chosen();
    private static final int INITIAL_ROWS = 24;

    private final long seed = Long.getLong("supervisor.cluster.history.seed", System.nanoTime());
    private final Random random = new Random(seed);
    private final List<ClusterNode> inJvm = new ArrayList<>();
    private final Map<ClusterNode, Long> cutUntil = new HashMap<>();
    private final List<String> keys = new ArrayList<>();
    private ExternalNode external;
    private int nodeNames;
    private int rowNames;
    private final Map<String, Integer> counts = new HashMap<>();

    @Test
    void noKeyEverRunsOnTwoNodesAtOnce() throws Exception {
        System.out.printf("history run: %d s, seed %d (-Dsupervisor.cluster.history.seed=%d replays the choices)%n",
                RUN.toSeconds(), seed, seed);
        POSTGRES.sql(HistoryLog.CREATE, "DELETE FROM cluster_history", "DELETE FROM supervisor_processes",
                "DELETE FROM supervisor_leases", "DELETE FROM supervisor_nodes");
        for (int i = 0; i < INITIAL_ROWS; i++) {
            insertRow();
        }
        try (Database logDatabase = Database.builder(ClusterNode.withApplicationName(POSTGRES.url(), "history-log"))
                .schema(POSTGRES.schema()).poolSize(8).migrate(false).open()) {
            HistoryLog history = new HistoryLog(logDatabase.dataSource());
            try {
                inJvm.add(startInJvm(history));
                inJvm.add(startInJvm(history));
                external = startExternal();
                churn(history);
                for (ClusterNode node : inJvm) {
                    node.reconnect();
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> POSTGRES.number("SELECT COUNT(*) FROM supervisor_processes p"
                        + " WHERE NOT EXISTS (SELECT 1 FROM cluster_history h WHERE h.name = p.name AND h.ended_at IS NULL)") == 0);
            } finally {
                for (ClusterNode node : inJvm) {
                    node.close();
                }
                if (external != null) {
                    external.close();
                }
            }
        }

        long intervals = POSTGRES.number("SELECT COUNT(*) FROM cluster_history");
        long nodes = POSTGRES.number("SELECT COUNT(DISTINCT node) FROM cluster_history");
        long movedKeys = POSTGRES.number("SELECT COUNT(*) FROM (SELECT name FROM cluster_history GROUP BY name"
                + " HAVING COUNT(DISTINCT node) > 1) k");
        System.out.printf("history: %d intervals of %d keys on %d nodes, %d keys ran on more than one node; actions %s%n",
                intervals, POSTGRES.number("SELECT COUNT(DISTINCT name) FROM cluster_history"), nodes, movedKeys, counts);
        assertThat(HistoryCheck.open(POSTGRES)).as("intervals never closed").isEmpty();
        assertThat(HistoryCheck.overlaps(POSTGRES)).as("overlapping intervals of one key (seed " + seed + ")").isEmpty();
        assertThat(HistoryCheck.epochsGoingBack(POSTGRES)).as("epochs going back (seed " + seed + ")").isEmpty();
        assertThat(movedKeys).as("keys moved between nodes, so the run tested something").isPositive();
    }

    /** Random actions until the run's time is up. */
    private void churn(HistoryLog history) throws Exception {
        long end = System.nanoTime() + RUN.toNanos();
        long nextKillAllowed = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        while (System.nanoTime() < end) {
            reconnectDue();
            int dice = random.nextInt(100);
            if (dice < 45) {
                count("churn");
                for (int i = random.nextInt(2); i >= 0; i--) {
                    insertRow();
                }
                for (int i = random.nextInt(2); i >= 0 && !keys.isEmpty(); i--) {
                    deleteRow();
                }
            } else if (dice < 65) {
                ClusterNode node = inJvm.get(random.nextInt(inJvm.size()));
                if (!cutUntil.containsKey(node)) {
                    count("cut");
                    try (Connection admin = POSTGRES.plainConnection()) {
                        node.cutOff(admin);
                    }
                    long cutFor = 300 + random.nextLong(TIMING.ttl().multipliedBy(2).toMillis());
                    cutUntil.put(node, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(cutFor));
                }
            } else if (dice < 80) {
                if (System.nanoTime() >= nextKillAllowed) {
                    count("kill -9");
                    external.kill();
                    HistoryCheck.endKilled(POSTGRES, external.name);
                    external = startExternal();
                    nextKillAllowed = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
                }
            } else {
                count("restart");
                ClusterNode leaving = inJvm.remove(random.nextInt(inJvm.size()));
                cutUntil.remove(leaving);
                leaving.close();
                inJvm.add(startInJvm(history));
            }
            // The scenario's pace, not a synchronisation: let the cluster react for a while.
            Thread.sleep(200 + random.nextInt(600));
        }
    }

    private void reconnectDue() {
        long now = System.nanoTime();
        cutUntil.entrySet().removeIf(entry -> {
            if (entry.getValue() <= now) {
                entry.getKey().reconnect();
                return true;
            }
            return false;
        });
    }

    private ClusterNode startInJvm(HistoryLog history) {
        return ClusterNode.start(POSTGRES.url(), POSTGRES.schema(), "n" + ++nodeNames, TIMING, Clock.system(), null, history);
    }

    private ExternalNode startExternal() throws Exception {
        return ExternalNode.start(POSTGRES.url(), POSTGRES.schema(), "x" + ++nodeNames, TIMING);
    }

    private void insertRow() {
        String key = String.format("key-%04d", rowNames++);
        POSTGRES.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('" + key + "', 'run')");
        keys.add(key);
    }

    private void deleteRow() {
        String key = keys.remove(random.nextInt(keys.size()));
        POSTGRES.sql("DELETE FROM supervisor_processes WHERE name = '" + key + "'");
    }

    private void count(String action) {
        counts.merge(action, 1, Integer::sum);
    }
}
