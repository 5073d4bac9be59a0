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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node frozen (SIGSTOP) while its workers are inside fenced transactions, next to two awake
 * nodes: the awake nodes never stop a process, take over the frozen node's keys whose leases no
 * transaction holds within about a ttl (claims skip locked lease rows instead of waiting for
 * them), and the rest once the database has ended the frozen transactions' sessions (the fence's
 * idle timeout, here twice the ttl, so the two phases can be told apart: PostgreSQL's
 * {@code idle_in_transaction_session_timeout}, MariaDB's {@code idle_transaction_timeout} and
 * {@code wait_timeout}). No two awake nodes ever
 * run a key at once, and no fenced write of an old epoch is accepted after one of a newer epoch.
 * After SIGCONT the frozen node finds its incarnation dead and comes back as a new one.
 *
 * <p>{@code -Dsupervisor.cluster.timing=defaults} runs it with the library's default timings. Each
 * database runs it in a subclass ({@link FrozenNodeTest} on PostgreSQL, {@link MariaDbFrozenNodeTest}).
 */
@Timeout(300)
abstract class FrozenNodeScenario {

    /** The database under test, with this class's schema. */
    abstract ServerDatabase db();

    /** How many statements of the frozen node's fenced transactions ({@code frozen-work}) the server is running now. */
    abstract long runningWork();

    /** How many of the frozen node's fenced transactions are open, idle, holding their locks. */
    abstract long idleWork();

    /** The database clock now, as text a timestamp column compares with. */
    abstract String databaseNow();

    private static final Timing TIMING = Timing.chosen();
    private static final Duration FENCE_IDLE = TIMING.ttl().multipliedBy(2); // as ClusterNodeMain sets it
    private static final int KEYS = 24;
    private static final Duration WAIT = Waits.RECOVERY;

    private final Activity activity = new Activity();

    @Test
    void aFrozenNodeDelaysTheTakeoverOfItsOwnKeysOnlyAndStopsNothingElsewhere() throws Exception {
        db().sql(HistoryLog.create(db().database().dialect()), FencedWrites.create(db().database().dialect()),
                "DELETE FROM cluster_history", "DELETE FROM fenced_writes",
                "DELETE FROM supervisor_processes", "DELETE FROM supervisor_leases", "DELETE FROM supervisor_nodes");
        try (Connection connection = db().plainConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO supervisor_processes (name, payload) VALUES (?, 'run')")) {
            for (int i = 0; i < KEYS; i++) {
                insert.setString(1, String.format("key-%03d", i));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (Database logDatabase = Database.builder(db().url()).applicationName("history-log")
                .schema(db().schema()).poolSize(6).migrate(false).open()) {
            HistoryLog history = new HistoryLog(logDatabase.dataSource(), logDatabase.dialect());
            ClusterNode a = ClusterNode.start(db().url(), db().schema(), "awake-a", TIMING, Clock.system(), activity, history);
            ClusterNode b = ClusterNode.start(db().url(), db().schema(), "awake-b", TIMING, Clock.system(), activity, history);
            ExternalNode frozen = ExternalNode.start(db().url(), db().schema(), "frozen", TIMING, true);
            try {
                run(a, b, frozen);
            } finally {
                frozen.close();
                b.close();
                a.close();
            }
        }
        assertThat(HistoryCheck.open(db())).as("intervals never closed").isEmpty();
        assertThat(HistoryCheck.staleFencedWrites(db())).as("fenced writes of an old epoch after a newer one").isEmpty();
        assertThat(HistoryCheck.epochsGoingBack(db())).isEmpty();
    }

    private void run(ClusterNode a, ClusterNode b, ExternalNode frozen) throws Exception {
        // balanced: each node runs its share, so no hand-over is under way when the freeze comes
        await().atMost(WAIT).until(() -> db().number("SELECT COUNT(*) FROM cluster_history WHERE node = 'frozen'"
                + " AND ended_at IS NULL") == KEYS / 3 && activity.keysOn(a.name).size() == KEYS / 3
                && activity.keysOn(b.name).size() == KEYS / 3);
        await().atMost(WAIT).until(() -> db().number("SELECT COUNT(DISTINCT name) FROM fenced_writes WHERE node = 'frozen'")
                == KEYS / 3);

        frozen.freeze();
        long frozeAt = System.nanoTime();
        await().atMost(WAIT).until(() -> runningWork() == 0); // statements in flight have finished on the server
        long locked = idleWork();

        await().atMost(TIMING.ttl().plusSeconds(3)).until(() -> awake(a, b) >= KEYS - locked);
        long unlockedTaken = System.nanoTime() - frozeAt;
        await().atMost(FENCE_IDLE.plus(TIMING.ttl()).plusSeconds(3)).until(() -> awake(a, b) == KEYS);
        long allTaken = System.nanoTime() - frozeAt;
        List<Activity.Event> stops = activity.events().stream().filter(e -> !e.start() && e.nanos() > frozeAt).toList();
        System.out.printf("frozen node (SIGSTOP) holding %d keys, %d of them locked by fenced transactions: the awake nodes ran"
                        + " the unlocked ones %d ms after the freeze, all %d ms after (ttl %d ms, fence idle timeout %d ms);"
                        + " awake nodes stopped %d process(es) meanwhile%n", KEYS / 3, locked,
                TimeUnit.NANOSECONDS.toMillis(unlockedTaken), TimeUnit.NANOSECONDS.toMillis(allTaken), TIMING.ttl().toMillis(),
                FENCE_IDLE.toMillis(), stops.size());
        assertThat(stops).as("processes the awake nodes stopped while the other node was frozen").isEmpty();
        assertThat(activity.mostAtOnce()).isEqualTo(1);

        frozen.thaw();
        String thawedAt = databaseNow();
        await().atMost(WAIT).until(() -> db().number("SELECT COUNT(*) FROM supervisor_leases WHERE owner LIKE 'frozen#%'"
                + " AND owner <> '" + frozen.nodeId + "'") > 0 && db().number("SELECT COUNT(*) FROM cluster_history"
                + " WHERE node = 'frozen' AND ended_at IS NULL AND started_at < '" + thawedAt + "'") == 0);
        assertThat(HistoryCheck.overlapsAmong(db(), "NOT (x.node = 'frozen' AND x.started_at < '" + thawedAt + "')"))
                .as("overlapping intervals among awake nodes").isEmpty();
    }

    /** Keys the two awake nodes run. */
    private int awake(ClusterNode a, ClusterNode b) {
        return activity.keysOn(a.name).size() + activity.keysOn(b.name).size();
    }
}
