package dev.supervisor.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.jdbc.LeaseOwnership;
import dev.supervisor.tests.jdbc.PostgresDatabaseExtension;
import dev.supervisor.testsupport.Waits;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Why cluster mode does not treat a node whose session lock was released as dead: the
 * experiment, against the real PostgreSQL, behind the "evidence of death" fast path that would
 * fail over in under 5 s (docs/cluster.md, "Why not 5 s of failover and 5 s of outage together").
 *
 * <p>The fast path: each node incarnation holds a session-level advisory lock on its heartbeat
 * connection; another node that finds the lock free, the incarnation having taken it after the
 * server's last start ({@code pg_postmaster_start_time()}), treats it as dead and claims its keys
 * a grace G later. That is safe only if a node whose session ends while it lives learns of it,
 * and stops its processes, within G. This test shows a live node that cannot:
 * <ol>
 *   <li>a node takes its lock through a link that can fail ({@link PartitionProxy});</li>
 *   <li>the link drops (a network partition: the server keeps the session, the node keeps its
 *       processes, as a 5-second outage must stop nothing);</li>
 *   <li>the session is ended on the server while the link is down: {@code pg_terminate_backend},
 *       as an operator, a connection proxy or a backend crash (which ends every session while
 *       {@code pg_postmaster_start_time()} stays the same) would;</li>
 *   <li>another node now finds the lock free, taken after the server's start: the fast path's
 *       evidence of death, at once;</li>
 *   <li>the node, beating with the heartbeat's timeouts for the whole outage the issue says it must
 *       ride through, hears nothing but timeouts: nothing tells it its session is gone, so it runs
 *       its processes on, past any grace short enough for a failover under 5 s;</li>
 *   <li>only when the link is back can it learn that its lock is gone.</li>
 * </ol>
 * So on that evidence a key would run twice, and the evidence is safe only with a grace longer than
 * the outage a node rides through, which is no faster than the TTL. The cluster keeps the TTL.
 */
@Timeout(120)
class SessionEvidenceTest {

    @RegisterExtension
    static final PostgresDatabaseExtension POSTGRES = new PostgresDatabaseExtension();

    /** The outage a node must ride through without stopping anything (the 5 s). */
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    /** The heartbeat's statement timeout at the defaults: the renew interval. */
    private static final int BEAT_TIMEOUT_SECONDS = Math.toIntExact(LeaseOwnership.DEFAULT_RENEW_INTERVAL.toSeconds());

    @Test
    void aLiveNodeCannotLearnThatItsLockWasReleasedWhileItsLinkIsDown() throws Exception {
        URI server = URI.create(POSTGRES.url().substring("jdbc:".length()));
        long lock = ThreadLocalRandom.current().nextLong();
        ExecutorService timeouts = Executors.newVirtualThreadPerTaskExecutor();
        try (PartitionProxy link = PartitionProxy.to(server.getHost(), server.getPort());
             Connection claimer = POSTGRES.plainConnection()) {
            String nodeUrl = "jdbc:postgresql://" + server.getHost() + ":" + link.port() + server.getRawPath() + "?"
                    + server.getRawQuery() + "&ApplicationName=" + POSTGRES.applicationName() + "-evidence"
                    + "&connectTimeout=" + BEAT_TIMEOUT_SECONDS + "&loginTimeout=" + BEAT_TIMEOUT_SECONDS
                    + "&cancelSignalTimeout=" + BEAT_TIMEOUT_SECONDS; // the proxy accepts what a dead link would not
            Connection node = DriverManager.getConnection(nodeUrl);
            long pid;
            Timestamp lockedAt;
            try (Statement statement = node.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT pg_advisory_lock(" + lock + "), pg_backend_pid(), clock_timestamp()")) {
                rs.next();
                pid = rs.getLong(2);
                lockedAt = rs.getTimestamp(3);
            }
            node.setNetworkTimeout(timeouts, (BEAT_TIMEOUT_SECONDS + 1) * 1000); // as the heartbeat's connection

            link.partition();
            POSTGRES.sql("SELECT pg_terminate_backend(" + pid + ")");
            await().atMost(Waits.DATABASE).until(() -> evidenceOfDeath(claimer, lock, lockedAt));
            long evidence = System.nanoTime();

            List<SQLException> beats = new ArrayList<>();
            int answered = 0;
            while (System.nanoTime() - evidence < OUTAGE.toNanos()) { // the outage's length, not a synchronisation
                try {
                    if (node == null) {
                        node = DriverManager.getConnection(nodeUrl);
                        node.setNetworkTimeout(timeouts, (BEAT_TIMEOUT_SECONDS + 1) * 1000);
                    }
                    beat(node);
                    answered++;
                } catch (SQLException e) {
                    beats.add(e);
                    node = closeQuietly(node);
                }
            }
            long learnable = System.nanoTime();
            link.heal();
            long held;
            try (Connection again = DriverManager.getConnection(nodeUrl);
                 PreparedStatement query = again.prepareStatement(
                         "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = ?")) {
                query.setLong(1, pid);
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                    held = rs.getLong(1);
                }
            }
            closeQuietly(node);
            System.out.printf("session evidence: another node found the lock free at once (taken after the server's start);"
                    + " the node beat %d time(s) through the %d s outage, every beat %s; it could learn its lock was gone"
                    + " only %d ms after the evidence%n", beats.size() + answered, OUTAGE.toSeconds(),
                    beats.stream().map(SessionEvidenceTest::describe).distinct().toList(), (learnable - evidence) / 1_000_000);

            assertThat(beats).as("the node's heartbeats during the outage").isNotEmpty()
                    .allSatisfy(e -> assertThat(timedOut(e)).as(describe(e)).isTrue());
            assertThat(answered).as("heartbeats answered through the partition").isZero();
            assertThat(held).as("locks of the ended session, once the link is back").isZero();
        } finally {
            timeouts.shutdownNow();
        }
    }

    /**
     * The fast path's check: the incarnation's lock is free, and it was taken after the server's
     * last start (so no restart explains the free lock). Takes the lock when free.
     */
    private static boolean evidenceOfDeath(Connection claimer, long lock, Timestamp lockedAt) throws SQLException {
        try (PreparedStatement check = claimer.prepareStatement(
                "SELECT pg_try_advisory_lock(?) AND ? > pg_postmaster_start_time()")) {
            check.setLong(1, lock);
            check.setTimestamp(2, lockedAt);
            try (ResultSet rs = check.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** One heartbeat as the node sends it: a single statement with the heartbeat's timeout. */
    private static void beat(Connection node) throws SQLException {
        try (Statement statement = node.createStatement()) {
            statement.setQueryTimeout(BEAT_TIMEOUT_SECONDS);
            statement.execute("SELECT 1");
        }
    }

    /** A failure that says only "no answer in time", never that the session ended. */
    private static boolean timedOut(SQLException e) {
        if ("57P01".equals(e.getSQLState()) || String.valueOf(e.getMessage()).contains("terminating connection")) {
            return false;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException || String.valueOf(cause.getMessage()).toLowerCase().contains("timed out")
                    || "57014".equals(cause instanceof SQLException sql ? sql.getSQLState() : null)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(SQLException e) {
        return e.getSQLState() + " " + e.getMessage();
    }

    private static Connection closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // it is gone already
            }
        }
        return null;
    }
}
