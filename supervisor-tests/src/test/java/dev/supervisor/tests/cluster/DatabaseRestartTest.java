package dev.supervisor.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Clock;
import dev.supervisor.jdbc.Database;
import dev.supervisor.jdbc.LeaseOwnership;
import dev.supervisor.tests.jdbc.PostgresDatabaseExtension;
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
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The database stopped and started again under a live cluster (two nodes in this JVM, one in a
 * JVM of its own, the library's lease settings), on a PostgreSQL server of the test's own: a
 * restart shorter than the outage a node rides through stops no process anywhere, and after an
 * outage longer than the ttl every key runs again; no key ever runs on two nodes at once. The runs
 * are logged on another server that stays up (the shared test server), one clock for every node.
 *
 * <p>Opt-in, since it stops a server. With a cluster of its own on port 5433:
 * <pre>
 * pg_createcluster 15 restart --port 5433   # then trust auth in its pg_hba.conf, as main's
 * pg_ctlcluster --skip-systemctl-redirect 15 restart start
 * psql -h 127.0.0.1 -p 5433 -U postgres -c 'CREATE DATABASE test'
 * ./mvnw -B verify -pl supervisor-tests -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest=DatabaseRestartTest \
 *     -Dsupervisor.cluster.restart.url='jdbc:postgresql://127.0.0.1:5433/test?user=postgres' \
 *     -Dsupervisor.cluster.restart.stop='su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D /var/lib/postgresql/15/restart stop -m fast -w -s"' \
 *     -Dsupervisor.cluster.restart.start='pg_ctlcluster --skip-systemctl-redirect 15 restart start'
 * </pre>
 * The stop and start commands are any that stop and start that server, waiting until done; the
 * first test needs the two to take less than {@link #BUDGET} together.
 */
@EnabledIfSystemProperty(named = "supervisor.cluster.restart.stop", matches = ".+")
@Timeout(600)
class DatabaseRestartTest {

    /** Where the runs are logged: a server that stays up. */
    @RegisterExtension
    static final PostgresDatabaseExtension HISTORY = new PostgresDatabaseExtension();

    /** The server the cluster runs on, and that the test stops and starts. */
    @RegisterExtension
    static final PostgresDatabaseExtension CLUSTER = new PostgresDatabaseExtension(
            System.getProperty("supervisor.cluster.restart.url", "jdbc:postgresql://127.0.0.1:5433/test?user=postgres"));

    private static final String STOP = System.getProperty("supervisor.cluster.restart.stop");
    private static final String START = System.getProperty("supervisor.cluster.restart.start");
    /** The library's lease settings; a short graceful stop, so the test closes quickly. */
    private static final Timing TIMING = new Timing(LeaseOwnership.DEFAULT_TTL, LeaseOwnership.DEFAULT_RENEW_INTERVAL,
            LeaseOwnership.DEFAULT_SAFETY_MARGIN, Duration.ofSeconds(1));
    /** The outage a node rides through at these settings (docs/cluster.md: about 5.5 s). */
    private static final Duration BUDGET = Duration.ofSeconds(5);
    private static final Duration WAIT = Waits.RECOVERY;
    private static final int KEYS = 24;

    private final Activity activity = new Activity();
    private final List<AutoCloseable> nodes = new ArrayList<>();
    private Database logDatabase;

    @BeforeEach
    void cluster() throws Exception {
        HISTORY.sql(HistoryLog.CREATE, "DELETE FROM cluster_history");
        CLUSTER.sql("DELETE FROM supervisor_processes", "DELETE FROM supervisor_leases", "DELETE FROM supervisor_nodes");
        try (Connection connection = CLUSTER.plainConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO supervisor_processes (name, payload) VALUES (?, 'run')")) {
            for (int i = 0; i < KEYS; i++) {
                insert.setString(1, String.format("key-%03d", i));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        logDatabase = Database.builder(HISTORY.url()).applicationName("history-log")
                .schema(HISTORY.schema()).poolSize(6).migrate(false).open();
        HistoryLog history = new HistoryLog(logDatabase.dataSource());
        for (String name : List.of("a", "b")) {
            nodes.add(ClusterNode.start(CLUSTER.url(), CLUSTER.schema(), name, TIMING, Clock.system(), activity, history));
        }
        nodes.add(ExternalNode.start(CLUSTER.url(), CLUSTER.schema(), "x", TIMING, HISTORY));
        await().atMost(WAIT).until(() -> running() == KEYS && HISTORY.number("SELECT COUNT(*) FROM (SELECT node FROM"
                + " cluster_history WHERE ended_at IS NULL GROUP BY node HAVING COUNT(*) = " + KEYS / 3 + ") balanced") == 3);
    }

    @AfterEach
    void close() throws Exception {
        new ProcessBuilder("sh", "-c", START).inheritIO().start().waitFor(); // in case a test failed while it was down
        for (AutoCloseable node : nodes.reversed()) {
            node.close();
        }
        logDatabase.close();
    }

    @Test
    void aRestartShorterThanTheOutageBudgetStopsNoProcess() throws Exception {
        String since = HistoryCheck.text(HISTORY, "SELECT clock_timestamp()");
        long began = System.nanoTime();
        run(STOP);
        run(START);
        long restarted = System.nanoTime() - began;
        await().atMost(WAIT).ignoreExceptions().until(() -> CLUSTER.number("SELECT COUNT(*) FROM supervisor_nodes"
                + " WHERE heartbeat_at > clock_timestamp() - INTERVAL '1 second'") == 3);
        long stopped = HISTORY.number("SELECT COUNT(*) FROM cluster_history WHERE ended_at > '" + since + "'");
        System.out.printf("database restarted in %d ms under 3 nodes running %d keys: %d process(es) stopped%n",
                restarted / 1_000_000, KEYS, stopped);
        assertThat(Duration.ofNanos(restarted)).as("the restart's length (this test needs one shorter than the budget)")
                .isLessThan(BUDGET);
        assertThat(stopped).as("processes stopped anywhere").isZero();
        assertThat(running()).isEqualTo(KEYS);
        assertThat(HistoryCheck.overlaps(HISTORY)).isEmpty();
    }

    @Test
    void afterAnOutageLongerThanTheTtlEveryKeyRunsAgainOnce() throws Exception {
        run(STOP);
        long stoppedAt = System.nanoTime();
        Thread.sleep(TIMING.ttl().plusSeconds(3).toMillis()); // the outage's length, not a synchronisation
        await().atMost(WAIT).until(() -> HISTORY.number("SELECT COUNT(*) FROM cluster_history WHERE ended_at IS NULL")
                == 0); // every node stopped its processes (it could not beat)
        run(START);
        long back = System.nanoTime();
        await().atMost(WAIT).until(() -> running() == KEYS);
        System.out.printf("database down for %d ms under 3 nodes: every process stopped, all %d keys running again %d ms"
                + " after it was back%n", (back - stoppedAt) / 1_000_000, KEYS, (System.nanoTime() - back) / 1_000_000);
        assertThat(HistoryCheck.overlaps(HISTORY)).isEmpty();
    }

    /** Keys with an open interval in the history. */
    private static long running() {
        return HISTORY.number("SELECT COUNT(DISTINCT name) FROM cluster_history WHERE ended_at IS NULL");
    }

    private static void run(String command) throws Exception {
        Process process = new ProcessBuilder("sh", "-c", command).inheritIO().start();
        assertThat(process.waitFor()).as("exit code of " + command).isZero();
    }
}
