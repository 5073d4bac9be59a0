package dev.supervisor.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Clock;
import dev.supervisor.jdbc.Database;
import dev.supervisor.tests.jdbc.ServerDatabase;
import dev.supervisor.testsupport.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The history check: a randomized run of a cluster under node kills (kill -9 of a node JVM, at
 * times twice: the restarted node killed again at once), freezes (SIGSTOP of a node JVM whose
 * workers run fenced transactions, SIGCONT later), connection kills (a node cut off from the
 * database for a while), terminated sessions (every session of a node ended by the server,
 * {@code pg_terminate_backend} or {@code KILL CONNECTION}, while its JVM lives and may reconnect), graceful restarts and row
 * churn, while every worker logs its run as an interval (key, node, epoch, start, end) in
 * {@code cluster_history}, stamped by the database's clock through connections of the log's own.
 * Afterwards no two intervals of one key may overlap among awake nodes (an interval of a node
 * while it was frozen is left out: a frozen JVM's processes run until it wakes and stops them,
 * which is what fencing is for), no fenced write of an old epoch may follow one of a newer epoch,
 * and a key's epoch may never go back.
 *
 * <p>CI runs it for 20 s; {@code -Dsupervisor.cluster.history.seconds=60} runs it longer, and
 * {@code -Dsupervisor.cluster.history.seed=N} replays the choices of a run (printed at its start;
 * the timing of course differs). {@code -Dsupervisor.cluster.history.restartDatabase="<command>"}
 * (opt-in: it disturbs everything else using that PostgreSQL) also restarts the database once,
 * half-way, with that shell command (e.g. {@code "sudo -n pg_ctlcluster 15 main restart"}); every
 * key must run again afterwards. Each database runs it in a subclass ({@link ClusterHistoryTest}
 * on PostgreSQL, {@link MariaDbClusterHistoryTest}).
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
abstract class ClusterHistoryScenario {

    /** The database under test, with this class's schema. */
    abstract ServerDatabase db();

    /** The JDBC URL an in-JVM node named name connects with (its sessions must be told apart by {@link #endSessions}). */
    abstract String nodeUrl(String name);

    /** Ends every session of the in-JVM node, as the server would (it lives and may reconnect). */
    abstract void endSessions(ClusterNode node);

    /** The table of freezes: node, frozen_at (default: the database's clock), thawed_at. */
    abstract String freezesTable();

    private static final Duration RUN = Duration.ofSeconds(Long.getLong("supervisor.cluster.history.seconds", 20));
    private static final Timing TIMING = Timing.chosen();
    private static final int INITIAL_ROWS = 24;
    private static final String RESTART_DATABASE = System.getProperty("supervisor.cluster.history.restartDatabase", "");
    private static final String AWAKE = "NOT EXISTS (SELECT 1 FROM cluster_freezes f WHERE f.node = x.node"
            + " AND (f.thawed_at IS NULL OR x.started_at < f.thawed_at) AND (x.ended_at IS NULL OR x.ended_at > f.frozen_at))";

    private final long seed = Long.getLong("supervisor.cluster.history.seed", System.nanoTime());
    private final Random random = new Random(seed);
    private final List<ClusterNode> inJvm = new ArrayList<>();
    private final Map<ClusterNode, Long> cutUntil = new HashMap<>();
    private final List<String> keys = new ArrayList<>();
    private ExternalNode external;
    private long frozenUntil; // System.nanoTime() when the external node is thawed; 0 while it runs
    private int nodeNames;
    private int rowNames;
    private final Map<String, Integer> counts = new HashMap<>();

    @Test
    void noKeyEverRunsOnTwoNodesAtOnce() throws Exception {
        System.out.printf("history run: %d s, seed %d (-Dsupervisor.cluster.history.seed=%d replays the choices)%n",
                RUN.toSeconds(), seed, seed);
        db().sql(HistoryLog.create(db().database().dialect()), FencedWrites.create(db().database().dialect()), freezesTable(),
                "DELETE FROM cluster_history", "DELETE FROM fenced_writes",
                "DELETE FROM cluster_freezes", "DELETE FROM supervisor_processes",
                "DELETE FROM supervisor_leases", "DELETE FROM supervisor_nodes");
        for (int i = 0; i < INITIAL_ROWS; i++) {
            insertRow();
        }
        try (Database logDatabase = Database.builder(db().url()).applicationName("history-log")
                .schema(db().schema()).poolSize(8).migrate(false).open()) {
            HistoryLog history = new HistoryLog(logDatabase.dataSource(), logDatabase.dialect());
            try {
                inJvm.add(startInJvm(history));
                inJvm.add(startInJvm(history));
                external = startExternal();
                churn(history);
                thawDue(true);
                for (ClusterNode node : inJvm) {
                    node.reconnect();
                }
                await().atMost(Waits.CLUSTER).until(() -> db().number("SELECT COUNT(*) FROM supervisor_processes p"
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

        long intervals = db().number("SELECT COUNT(*) FROM cluster_history");
        long nodes = db().number("SELECT COUNT(DISTINCT node) FROM cluster_history");
        long movedKeys = db().number("SELECT COUNT(*) FROM (SELECT name FROM cluster_history GROUP BY name"
                + " HAVING COUNT(DISTINCT node) > 1) k");
        System.out.printf("history: %d intervals of %d keys on %d nodes, %d keys ran on more than one node; actions %s%n",
                intervals, db().number("SELECT COUNT(DISTINCT name) FROM cluster_history"), nodes, movedKeys, counts);
        assertThat(HistoryCheck.open(db())).as("intervals never closed").isEmpty();
        assertThat(HistoryCheck.overlapsAmong(db(), AWAKE)).as("overlapping intervals of one key among awake nodes (seed "
                + seed + ")").isEmpty();
        assertThat(HistoryCheck.staleFencedWrites(db())).as("fenced writes of an old epoch after a newer one (seed "
                + seed + ")").isEmpty();
        assertThat(HistoryCheck.epochsGoingBack(db())).as("epochs going back (seed " + seed + ")").isEmpty();
        assertThat(movedKeys).as("keys moved between nodes, so the run tested something").isPositive();
    }

    /** Random actions until the run's time is up. */
    private void churn(HistoryLog history) throws Exception {
        long end = System.nanoTime() + RUN.toNanos();
        long restartAt = RESTART_DATABASE.isEmpty() ? Long.MAX_VALUE : System.nanoTime() + RUN.toNanos() / 2;
        long nextKillAllowed = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        while (System.nanoTime() < end) {
            reconnectDue();
            thawDue(false);
            if (System.nanoTime() >= restartAt) {
                restartAt = Long.MAX_VALUE;
                restartDatabase();
            }
            int dice = random.nextInt(100);
            if (dice < 40) {
                count("churn");
                for (int i = random.nextInt(2); i >= 0; i--) {
                    insertRow();
                }
                for (int i = random.nextInt(2); i >= 0 && !keys.isEmpty(); i--) {
                    deleteRow();
                }
            } else if (dice < 52) {
                ClusterNode node = inJvm.get(random.nextInt(inJvm.size()));
                if (!cutUntil.containsKey(node)) {
                    count("cut");
                    node.dataSource.off();
                    endSessions(node);
                    long cutFor = 300 + random.nextLong(TIMING.ttl().multipliedBy(2).toMillis());
                    cutUntil.put(node, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(cutFor));
                }
            } else if (dice < 60) {
                count("terminate sessions");
                ClusterNode node = inJvm.get(random.nextInt(inJvm.size()));
                endSessions(node);
            } else if (dice < 68) {
                if (frozenUntil == 0) {
                    count("freeze");
                    external.freeze();
                    db().sql("INSERT INTO cluster_freezes (node) VALUES ('" + external.name + "')");
                    long frozenFor = 300 + random.nextLong(TIMING.ttl().multipliedBy(2).toMillis());
                    frozenUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(frozenFor);
                }
            } else if (dice < 80) {
                if (System.nanoTime() >= nextKillAllowed) {
                    count("kill -9");
                    killExternal();
                    external = startExternal();
                    if (random.nextInt(3) == 0) {
                        count("kill -9 right after the restart");
                        killExternal();
                        external = startExternal();
                    }
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

    private void killExternal() throws Exception {
        external.kill();
        HistoryCheck.endKilled(db(), external.name);
        if (frozenUntil != 0) {
            db().sql("UPDATE cluster_freezes SET thawed_at = " + HistoryLog.clock(db().database().dialect())
                    + " WHERE thawed_at IS NULL");
            frozenUntil = 0;
        }
    }

    /** Thaws the external node if its freeze is over (or now, if asked). */
    private void thawDue(boolean now) throws Exception {
        if (frozenUntil != 0 && (now || System.nanoTime() >= frozenUntil)) {
            external.thaw();
            db().sql("UPDATE cluster_freezes SET thawed_at = " + HistoryLog.clock(db().database().dialect())
                    + " WHERE thawed_at IS NULL");
            frozenUntil = 0;
        }
    }

    /** The opt-in database restart: runs the configured command and waits until the database answers again. */
    private void restartDatabase() throws Exception {
        count("database restart");
        Process restart = new ProcessBuilder("sh", "-c", RESTART_DATABASE).inheritIO().start();
        assertThat(restart.waitFor()).as("exit code of " + RESTART_DATABASE).isZero();
        await().atMost(Waits.CLUSTER).ignoreExceptions().until(() -> db().number("SELECT 1") == 1);
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
        String name = "n" + ++nodeNames;
        return ClusterNode.start(nodeUrl(name), db().schema(), name, TIMING, Clock.system(), null, history);
    }

    private ExternalNode startExternal() throws Exception {
        return ExternalNode.start(db().url(), db().schema(), "x" + ++nodeNames, TIMING, true);
    }

    private void insertRow() {
        String key = String.format("key-%04d", rowNames++);
        db().sql("INSERT INTO supervisor_processes (name, payload) VALUES ('" + key + "', 'run')");
        keys.add(key);
    }

    private void deleteRow() {
        String key = keys.remove(random.nextInt(keys.size()));
        db().sql("DELETE FROM supervisor_processes WHERE name = '" + key + "'");
    }

    private void count(String action) {
        counts.merge(action, 1, Integer::sum);
    }
}
