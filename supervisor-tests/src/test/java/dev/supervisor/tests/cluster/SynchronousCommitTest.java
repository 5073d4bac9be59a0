package dev.supervisor.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.jdbc.Database;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node on a primary whose synchronous standby stops acknowledging commits. PostgreSQL then
 * holds every commit until the statement's timeout cancels the wait, and reports the write as
 * done with a warning ("canceling wait for synchronous replication"): committed on the primary,
 * perhaps not on the standby a failover would promote. Such a heartbeat must not extend the node's
 * safety deadline (else the node would run its processes past its row's expiry on the standby),
 * and such a claim must not start its keys (another node may claim them there). So the node stops
 * every process within its safety window, a key added meanwhile does not start, and all run again
 * once the standby acknowledges.
 *
 * <p>The server is the test's own ({@link OwnPostgres}); a standby name that no server
 * has ({@code synchronous_standby_names = 'svf_never'}) stands for a standby that stopped answering.
 */
@Timeout(180)
class SynchronousCommitTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** A safety window (ttl - margin) of 6 s, so the claim's 1 s timeout ends well inside it. */
    private static final Timing TIMING = new Timing(Duration.ofSeconds(8), Duration.ofMillis(500), Duration.ofSeconds(2),
            Duration.ofSeconds(1));
    private static OwnPostgres primary;

    @BeforeAll
    static void server() throws Exception {
        OwnPostgres.assumeAvailable();
        OwnPostgres.cleanLeftovers();
        primary = OwnPostgres.primary("sync", OwnPostgres.freePort(), List.of(), Map.of());
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (primary != null) {
            primary.close();
        }
    }

    @Test
    void unacknowledgedHeartbeatsAndClaimsCountAsNotDone() throws Exception {
        try (Database setup = Database.builder(primary.url()).schema("sync").open()) {
            primary.sqlLocally("test", "INSERT INTO sync.supervisor_processes (name, payload)"
                    + " SELECT 'sync-' || i, 'run' FROM generate_series(1, 4) i");
        }
        Activity activity = new Activity();
        try (ClusterNode node = ClusterNode.builder(primary.url(), "sync", "sync", TIMING).activity(activity)
                .queryTimeout(Duration.ofSeconds(1)).start()) {
            await().atMost(WAIT).until(() -> activity.running().size() == 4);

            primary.reload("synchronous_standby_names", "svf_never"); // from now on no commit is acknowledged
            primary.sqlLocally("test", "INSERT INTO sync.supervisor_processes (name, payload) VALUES ('sync-added', 'run')");
            await().atMost(WAIT).untilAsserted(() -> assertThat(activity.running()).as("processes running while no heartbeat"
                    + " is acknowledged").isEmpty());
            assertThat(startsOf(activity, "sync-added")).as("starts of a key whose claim was not acknowledged").isZero();

            primary.reload("synchronous_standby_names", "");
            await().atMost(WAIT).untilAsserted(() -> assertThat(activity.running().keySet()).as("keys running once commits are"
                    + " acknowledged again").hasSize(5));
            assertThat(startsOf(activity, "sync-added")).isEqualTo(1);
        }
    }

    private static long startsOf(Activity activity, String key) {
        return activity.events().stream().filter(event -> event.start() && event.key().equals(key)).count();
    }
}
