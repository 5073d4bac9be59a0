package dev.supervisor.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Clock;
import dev.supervisor.KeyState;
import dev.supervisor.ProcessExit;
import dev.supervisor.ProcessStatus;
import dev.supervisor.StopCause;
import dev.supervisor.jdbc.Dialect;
import dev.supervisor.jdbc.LeaseFence;
import dev.supervisor.tests.jdbc.PostgresDatabaseExtension;
import dev.supervisor.testsupport.Waits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several supervisors (nodes), each with a connection pool of its own, on one PostgreSQL: every
 * key runs on exactly one node, load spreads, keys move at once on a graceful close, within the
 * TTL when a node JVM is killed, and only after the node stopped them when it loses the database.
 * Failover times are measured and printed (see the test's output file), not asserted beyond the
 * bounds the design promises.
 */
@Timeout(180)
class ClusterTest {

    @RegisterExtension
    static final PostgresDatabaseExtension POSTGRES = new PostgresDatabaseExtension();

    private static final Duration WAIT = Waits.CLUSTER;
    private static final Timing TIMING = Timing.chosen();

    private final Activity activity = new Activity();
    private final List<AutoCloseable> nodes = new ArrayList<>();

    @BeforeEach
    void emptyTables() {
        POSTGRES.sql("DELETE FROM supervisor_processes", "DELETE FROM supervisor_leases", "DELETE FROM supervisor_nodes",
                "DELETE FROM supervisor_status");
    }

    @AfterEach
    void closeNodes() throws Exception {
        for (AutoCloseable node : nodes.reversed()) {
            node.close();
        }
    }

    private ClusterNode node(String name, Timing timing, Clock clock) {
        ClusterNode node = ClusterNode.start(POSTGRES.url(), POSTGRES.schema(), name, timing, clock, activity, null);
        nodes.add(node);
        return node;
    }

    private ClusterNode node(String name) {
        return node(name, TIMING, Clock.system());
    }

    private void rows(String prefix, int count) throws Exception {
        try (Connection connection = POSTGRES.plainConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO supervisor_processes (name, payload) VALUES (?, 'run')")) {
            for (int i = 0; i < count; i++) {
                insert.setString(1, String.format("%s-%03d", prefix, i));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Every key runs, each on exactly one node, and the nodes' loads are as given (in any order). */
    private boolean runningOnceEach(int keys, List<ClusterNode> cluster) {
        Map<String, Integer> running = activity.running();
        if (running.size() != keys || running.values().stream().anyMatch(n -> n != 1)) {
            return false;
        }
        Set<String> seen = new HashSet<>();
        for (ClusterNode node : cluster) {
            for (String key : node.keys()) {
                if (!seen.add(key)) {
                    return false;
                }
            }
        }
        return seen.size() == keys;
    }

    /** No node runs more than its fair share: the keys divided among the nodes, rounded up. */
    private static boolean balanced(int keys, List<ClusterNode> cluster) {
        int share = -Math.floorDiv(-keys, cluster.size());
        return cluster.stream().allMatch(n -> n.keys().size() <= share);
    }

    private static String loads(List<ClusterNode> cluster) {
        return cluster.stream().map(n -> n.name + "=" + n.keys().size()).collect(Collectors.joining(", "));
    }

    /** A node's clock that is hours off: only the database's clock may matter for leases. */
    private static Clock skewed(Duration offset) {
        return new Clock() {
            @Override
            public Instant now() {
                return Instant.now().plus(offset);
            }

            @Override
            public CompletableFuture<Void> after(Duration delay) {
                return Clock.system().after(delay);
            }
        };
    }

    @Test
    void everyKeyRunsOnExactlyOneNodeWhateverTheNodesClocksSay() throws Exception {
        rows("job", 60);
        List<ClusterNode> cluster = List.of(node("a", TIMING, skewed(Duration.ofHours(1))),
                node("b", TIMING, skewed(Duration.ofHours(-1))), node("c", TIMING, skewed(Duration.ZERO)));

        await().atMost(WAIT).until(() -> runningOnceEach(60, cluster) && balanced(60, cluster));

        System.out.println("three nodes on 60 keys, clocks +1h/-1h/0: " + loads(cluster));
        assertThat(activity.mostAtOnce()).as("most nodes running one key at once").isEqualTo(1);
        assertThat(POSTGRES.number("SELECT COUNT(DISTINCT owner) FROM supervisor_leases")).isEqualTo(3);
        assertThat(POSTGRES.number("SELECT COUNT(*) FROM supervisor_nodes WHERE expires_at > now()")).isEqualTo(3);
    }

    @Test
    void aNewNodeGetsItsShareOfTheKeys() throws Exception {
        rows("job", 40);
        List<ClusterNode> cluster = new ArrayList<>(List.of(node("a"), node("b")));
        await().atMost(WAIT).until(() -> runningOnceEach(40, cluster) && balanced(40, cluster));

        long began = System.nanoTime();
        cluster.add(node("c"));
        await().atMost(WAIT).until(() -> runningOnceEach(40, cluster) && balanced(40, cluster));

        System.out.printf("a third node got its share in %d ms: %s%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began),
                loads(cluster));
        assertThat(activity.mostAtOnce()).isEqualTo(1);
    }

    /**
     * {@code restart(key)} on the node that does not run the key goes through the table (its
     * restart-request counter): it returns null at once, and the node that runs the key restarts it.
     */
    @Test
    void aRestartOnTheNodeThatDoesNotRunTheKeyIsDoneByTheNodeThatDoes() throws Exception {
        rows("job", 1);
        List<ClusterNode> cluster = List.of(node("a"), node("b"));
        await().atMost(WAIT).until(() -> runningOnceEach(1, cluster));
        ClusterNode runs = cluster.stream().filter(n -> n.keys().contains("job-000")).findFirst().orElseThrow();
        ClusterNode other = cluster.stream().filter(n -> n != runs).findFirst().orElseThrow();
        long starts = activity.events().stream().filter(e -> e.start() && e.key().equals("job-000")).count();

        assertThat(other.supervisor.restart("job-000")).as("nothing to observe on the other node").isNull();

        await().atMost(WAIT).until(() -> runs.supervisor.status("job-000").filter(s -> s.state() == KeyState.RUNNING
                && s.attempt() == 2).isPresent());
        ProcessStatus<String> status = runs.supervisor.status("job-000").orElseThrow();
        assertThat(status.lastExit().flatMap(ProcessExit::stopCause)).contains(StopCause.RESTART);
        assertThat(activity.events().stream().filter(e -> e.start() && e.key().equals("job-000")).count()).isEqualTo(starts + 1);
        assertThat(other.keys()).isEmpty();
        assertThat(activity.mostAtOnce()).isEqualTo(1);
    }

    /** With a TTL of two minutes, only the released leases (and the notification) can explain a quick move. */
    @Test
    void aNodeClosedGracefullyHandsItsKeysOverAtOnce() throws Exception {
        Timing longLeases = TIMING.withTtl(Duration.ofSeconds(120));
        rows("job", 20);
        ClusterNode staying = node("staying", longLeases, Clock.system());
        ClusterNode leaving = node("leaving", longLeases, Clock.system());
        await().atMost(WAIT).until(() -> runningOnceEach(20, List.of(staying, leaving)) && balanced(20, List.of(staying, leaving)));

        long began = System.nanoTime();
        leaving.close();
        await().atMost(Waits.CLUSTER).until(() -> activity.keysOn("staying").size() == 20);

        System.out.printf("graceful hand-over of 10 keys (ttl 120 s): all running on the other node %d ms after close() began%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        assertThat(activity.mostAtOnce()).isEqualTo(1);
        assertThat(POSTGRES.number("SELECT COUNT(*) FROM supervisor_nodes")).isEqualTo(1);
    }

    @Test
    void theKeysOfANodeKilledWithSigkillRunElsewhereWithinTheTtl() throws Exception {
        POSTGRES.sql(HistoryLog.CREATE, "DELETE FROM cluster_history");
        rows("job", 20);
        ClusterNode survivor = node("survivor");
        ExternalNode doomed = ExternalNode.start(POSTGRES.url(), POSTGRES.schema(), "doomed", TIMING);
        nodes.add(doomed);
        await().atMost(WAIT).until(() -> POSTGRES.number("SELECT COUNT(*) FROM supervisor_leases WHERE owner = '"
                + doomed.nodeId + "'") == 10 && activity.keysOn("survivor").size() == 10);
        await().atMost(WAIT).until(() -> POSTGRES.number("SELECT COUNT(*) FROM cluster_history WHERE node = 'doomed'"
                + " AND ended_at IS NULL") == 10);

        doomed.kill();
        long killed = System.nanoTime();
        HistoryCheck.endKilled(POSTGRES, "doomed");
        Duration bound = TIMING.ttl().plusSeconds(2);
        await().atMost(bound).until(() -> activity.keysOn("survivor").size() == 20);

        long failover = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        System.out.printf("kill -9 of a node holding 10 keys: all running elsewhere %d ms later (ttl %d ms, renew every %d ms)%n",
                failover, TIMING.ttl().toMillis(), TIMING.renew().toMillis());
        assertThat(HistoryCheck.overlaps(POSTGRES)).isEmpty();
    }

    /**
     * A node cut off from the database (its backends terminated, new connections refused) stops
     * every process before its leases can expire; the other node starts them only after that.
     * When the node is back, it takes its share again, still never running a key twice.
     */
    @Test
    void aNodeThatLosesTheDatabaseStopsItsProcessesBeforeAnotherNodeStartsThem() throws Exception {
        rows("job", 20);
        ClusterNode healthy = node("healthy");
        ClusterNode isolated = node("isolated");
        List<ClusterNode> cluster = List.of(healthy, isolated);
        await().atMost(WAIT).until(() -> runningOnceEach(20, cluster) && balanced(20, cluster));
        Set<String> moving = Set.copyOf(activity.keysOn("isolated"));

        long cut = System.nanoTime();
        try (Connection admin = POSTGRES.plainConnection()) {
            isolated.cutOff(admin);
        }
        await().atMost(WAIT).until(() -> activity.keysOn("healthy").size() == 20);

        List<Activity.Event> events = activity.events();
        long lastStopOnIsolated = events.stream().filter(e -> !e.start() && e.node().equals("isolated") && e.nanos() > cut)
                .mapToLong(Activity.Event::nanos).max().orElseThrow();
        long firstTakeover = events.stream().filter(e -> e.start() && e.node().equals("healthy") && e.nanos() > cut
                && moving.contains(e.key())).mapToLong(Activity.Event::nanos).min().orElseThrow();
        long lastTakeover = events.stream().filter(e -> e.start() && e.node().equals("healthy") && e.nanos() > cut
                && moving.contains(e.key())).mapToLong(Activity.Event::nanos).max().orElseThrow();
        System.out.printf("cut off from the database: its 10 processes stopped by %d ms after the cut;"
                        + " the other node started the first of them at %d ms, the last at %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(lastStopOnIsolated - cut), TimeUnit.NANOSECONDS.toMillis(firstTakeover - cut),
                TimeUnit.NANOSECONDS.toMillis(lastTakeover - cut));
        assertThat(lastStopOnIsolated).as("the isolated node stopped everything before the takeover began").isLessThan(firstTakeover);
        assertThat(isolated.keys()).isEmpty();

        isolated.reconnect();
        await().atMost(WAIT).until(() -> runningOnceEach(20, cluster) && balanced(20, cluster));
        assertThat(activity.mostAtOnce()).isEqualTo(1);
    }

    /**
     * A fenced transaction locks its lease row until it ends: a claim of the lease (here an
     * update of its owner, with a lock timeout) waits for it, so a claim can never slip in
     * between the fence's check and the worker's commit.
     */
    @Test
    void aFencedTransactionHoldsOffAClaimUntilItEnds() throws Exception {
        rows("job", 1);
        ClusterNode node = node("a");
        await().atMost(WAIT).until(() -> node.ownership.tryAcquire("job-000").isPresent());
        long epoch = node.ownership.tryAcquire("job-000").getAsLong();
        LeaseFence fence = LeaseFence.of(Dialect.POSTGRESQL);

        try (Connection worker = POSTGRES.plainConnection(); Connection claimer = POSTGRES.plainConnection()) {
            worker.setAutoCommit(false);
            assertThat(fence.lock(worker, "job-000", epoch)).isTrue();
            claimer.createStatement().execute("SET lock_timeout = '200ms'");
            assertThatThrownBy(() -> claimer.createStatement().executeUpdate(
                    "UPDATE supervisor_leases SET owner = 'thief', epoch = epoch + 1 WHERE name = 'job-000'"))
                    .hasMessageContaining("lock");
            worker.commit();
            assertThat(claimer.createStatement().executeUpdate(
                    "UPDATE supervisor_leases SET owner = 'thief', epoch = epoch + 1 WHERE name = 'job-000'")).isEqualTo(1);
            assertThat(fence.lock(worker, "job-000", epoch)).as("the epoch moved on").isFalse();
            worker.rollback();
        }
    }
}
