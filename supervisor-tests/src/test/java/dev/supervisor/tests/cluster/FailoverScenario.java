package dev.supervisor.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Clock;
import dev.supervisor.jdbc.Database;
import dev.supervisor.tests.jdbc.ServerDatabase;
import dev.supervisor.testsupport.Waits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failover after kill -9, measured from the history (the database's clock: from the killed
 * interval's end to the key's next start), never by sleeping: every key of a killed node runs
 * again within the ttl plus {@link #SLACK}, also when the node was restarted and killed again
 * at once (a dead incarnation never counts in the fair share), and a database outage shorter
 * than the safety window stops no process.
 *
 * <p>CI runs the quick timings. The library's defaults, with more kills:
 * {@code ./mvnw -B verify -pl supervisor-tests -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest=FailoverTest
 * -Dsupervisor.cluster.timing=defaults -Dsupervisor.cluster.failover.kills=10} ({@code -Dtest=MariaDbFailoverTest} on
 * MariaDB). Each database runs it in a subclass ({@link FailoverTest} on PostgreSQL, {@link MariaDbFailoverTest}).
 */
@Timeout(600)
abstract class FailoverScenario {

    /** The database under test, with this class's schema. */
    abstract ServerDatabase db();

    /** Whether a heartbeat of the node renewed its row within the last second, on the database's clock (as SQL). */
    abstract String beatWithinASecond(String nodeId);

    /** Cuts node off from the database: new connections refused, the sessions it holds ended by the server. */
    abstract void cutOff(ClusterNode node) throws Exception;

    private static final Timing TIMING = Timing.chosen();
    private static final int KILLS = Integer.getInteger("supervisor.cluster.failover.kills", 2);
    /** A claim round at the expiry, the claim statement, and the worker's start, on a busy machine. */
    private static final Duration SLACK = Duration.ofSeconds(2);
    private static final Duration WAIT = Waits.RECOVERY;
    private static final int KEYS = 20;

    private final Activity activity = new Activity();
    private final List<AutoCloseable> nodes = new ArrayList<>();
    private Database logDatabase;
    private HistoryLog history;

    @BeforeEach
    void tables() throws Exception {
        db().sql(HistoryLog.create(db().database().dialect()), "DELETE FROM cluster_history", "DELETE FROM supervisor_processes",
                "DELETE FROM supervisor_leases", "DELETE FROM supervisor_nodes");
        try (Connection connection = db().plainConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO supervisor_processes (name, payload) VALUES (?, 'run')")) {
            for (int i = 0; i < KEYS; i++) {
                insert.setString(1, String.format("key-%03d", i));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        logDatabase = Database.builder(db().url()).applicationName("history-log")
                .schema(db().schema()).poolSize(6).migrate(false).open();
        history = new HistoryLog(logDatabase.dataSource(), logDatabase.dialect());
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable node : nodes.reversed()) {
            node.close();
        }
        logDatabase.close();
    }

    private ClusterNode inJvm(String name) {
        return inJvm(name, TIMING);
    }

    private ClusterNode inJvm(String name, Timing timing) {
        ClusterNode node = ClusterNode.start(db().url(), db().schema(), name, timing, Clock.system(), activity, history);
        nodes.add(node);
        return node;
    }

    private ExternalNode external(String name) throws Exception {
        ExternalNode node = ExternalNode.start(db().url(), db().schema(), name, TIMING);
        nodes.add(node);
        return node;
    }

    private long openOn(String node) {
        return db().number("SELECT COUNT(*) FROM cluster_history WHERE node = '" + node + "' AND ended_at IS NULL");
    }

    @Test
    void everyKillFailsOverWithinTheTtl() throws Exception {
        ClusterNode survivor = inJvm("survivor");
        List<String> killed = new ArrayList<>();
        for (int i = 1; i <= KILLS; i++) {
            String name = "doomed-" + i;
            ExternalNode doomed = external(name);
            await().atMost(WAIT).until(() -> openOn(name) == KEYS / 2 && activity.keysOn(survivor.name).size() == KEYS / 2);
            doomed.kill();
            HistoryCheck.endKilled(db(), name);
            killed.add(name);
            await().atMost(WAIT).until(() -> activity.keysOn(survivor.name).size() == KEYS);
        }
        List<Long> failovers = HistoryCheck.failoverMillis(db(), killed);
        System.out.printf("kill -9 of a node holding %d keys, %d times (ttl %d ms, renew every %d ms): per key, ms until it ran"
                        + " again: p50 %d, max %d%n", KEYS / 2, KILLS, TIMING.ttl().toMillis(), TIMING.renew().toMillis(),
                failovers.get(failovers.size() / 2), failovers.getLast());
        assertThat(failovers).hasSize(KILLS * KEYS / 2).allSatisfy(ms -> assertThat(ms).isLessThanOrEqualTo(bound()));
        assertThat(HistoryCheck.overlaps(db())).isEmpty();
    }

    /**
     * A node killed, restarted, killed again within its first renew interval, restarted and
     * killed again: the dead incarnations stop counting in the fair share within two renew
     * intervals, so the survivor takes all the first incarnation's keys as soon as they expire
     * (before, the dead incarnations capped its share until their own rows expired).
     */
    @Test
    void aNodeKilledAgainRightAfterEachRestartDoesNotSlowFailover() throws Exception {
        ClusterNode survivor = inJvm("survivor");
        ExternalNode first = external("x1");
        await().atMost(WAIT).until(() -> openOn("x1") == KEYS / 2 && activity.keysOn(survivor.name).size() == KEYS / 2);
        first.kill();
        HistoryCheck.endKilled(db(), "x1");
        List<String> killed = new ArrayList<>(List.of("x1"));
        for (String name : List.of("x2", "x3")) {
            external(name).kill(); // as soon as it is up: within its first renew interval
            HistoryCheck.endKilled(db(), name);
            killed.add(name);
        }
        await().atMost(WAIT).until(() -> activity.keysOn(survivor.name).size() == KEYS);
        List<Long> failovers = HistoryCheck.failoverMillis(db(), killed);
        System.out.printf("kill -9, then two restarts each killed at once: the first node's %d keys ran again after p50 %d ms,"
                + " max %d ms (ttl %d ms)%n", failovers.size(), failovers.get(failovers.size() / 2), failovers.getLast(),
                TIMING.ttl().toMillis());
        assertThat(failovers).isNotEmpty().allSatisfy(ms -> assertThat(ms).isLessThanOrEqualTo(bound()));
        assertThat(HistoryCheck.overlaps(db())).isEmpty();
    }

    /**
     * A node cut off from the database (backends terminated, new connections refused) for less
     * than its safety window minus a renew interval keeps every process running: 5 s at the
     * defaults; in CI 1.5 s with a 4-second window (ttl 6 s), leaving room for a busy machine.
     */
    @Test
    void anOutageShorterThanTheSafetyWindowStopsNoProcess() throws Exception {
        Timing timing = TIMING == Timing.DEFAULTS ? TIMING : TIMING.withTtl(Duration.ofSeconds(6));
        ClusterNode a = inJvm("a", timing);
        ClusterNode b = inJvm("b", timing);
        await().atMost(WAIT).until(() -> activity.keysOn("a").size() + activity.keysOn("b").size() == KEYS
                && activity.keysOn("a").size() == KEYS / 2);
        Duration window = timing.ttl().minus(timing.margin());
        Duration outage = TIMING == Timing.DEFAULTS ? Duration.ofSeconds(5) : Duration.ofMillis(1500);
        long cut = System.nanoTime();
        cutOff(a);
        Thread.sleep(outage.toMillis()); // the fault's duration, not a synchronisation
        a.reconnect();
        await().atMost(WAIT).until(() -> db().number(beatWithinASecond(a.ownership.nodeId())) == 1);
        List<Activity.Event> stops = activity.events().stream().filter(e -> !e.start() && e.nanos() > cut).toList();
        System.out.printf("database cut off for %d ms (safety window %d ms): %d process(es) stopped%n", outage.toMillis(),
                window.toMillis(), stops.size());
        assertThat(stops).isEmpty();
        assertThat(b.keys()).hasSize(KEYS / 2);
    }

    private static long bound() {
        return TIMING.ttl().plus(SLACK).toMillis();
    }

}
