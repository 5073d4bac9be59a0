package dev.supervisor.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.tests.jdbc.PostgresDatabaseExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node's safety stop lifted while its processes are still stopping: the node stops every
 * process when no heartbeat succeeded within its safety window, and starts them again when a
 * heartbeat is answered in time again. Here the heartbeats wait for the node's own row, which
 * another session holds locked ({@code SELECT ... FOR UPDATE}, as a stuck transaction or a long
 * link stall would), until the stop has begun; then the row is let go, the heartbeat in flight
 * goes through in time, and every key must run again although its process (which takes up to
 * 1 s to finish) was still stopping at that moment. The node held every lease throughout, so no
 * other node could have taken a key that stayed down: it would stay down until a full pass.
 */
@Timeout(120)
class LiftedSafetyStopTest {

    @RegisterExtension
    static final PostgresDatabaseExtension POSTGRES = new PostgresDatabaseExtension();

    private static final Duration WAIT = Duration.ofSeconds(20); // below the 30 s reconcile interval: no pass rescues a key
    private static final int KEYS = 10;

    @Test
    void everyHeldKeyRunsAgainWhereverItsProcessWasInStopping() throws Exception {
        POSTGRES.sql("DELETE FROM supervisor_processes", "DELETE FROM supervisor_leases", "DELETE FROM supervisor_nodes",
                "INSERT INTO supervisor_processes (name, payload) SELECT 'lifted-' || i, 'run' FROM generate_series(1, " + KEYS + ") i");
        Activity activity = new Activity();
        try (ClusterNode node = ClusterNode.builder(POSTGRES.url(), POSTGRES.schema(), "lifted", Timing.QUICK).activity(activity)
                .slowStop(Duration.ofSeconds(1)).start()) {
            await().atMost(WAIT).until(() -> activity.running().size() == KEYS);
            long stoppingAtLift;
            long lifted;
            try (Connection blocker = POSTGRES.plainConnection()) {
                blocker.setAutoCommit(false);
                try (PreparedStatement lock = blocker.prepareStatement("SELECT 1 FROM supervisor_nodes WHERE node = ? FOR UPDATE")) {
                    lock.setString(1, node.ownership.nodeId());
                    lock.executeQuery().close();
                }
                // Heartbeats now wait for the row until their timeout: the safety deadline passes and the node stops its processes.
                await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> activity.stopsSeen() > 0);
                blocker.commit(); // the heartbeat in flight goes through, in time
                lifted = System.nanoTime();
                stoppingAtLift = activity.running().size();
            }
            await().atMost(WAIT).untilAsserted(() -> assertThat(activity.running().keySet()).as("keys running again after the"
                    + " lift, of the %d the node holds", KEYS).hasSize(KEYS).isEqualTo(startedSince(activity, lifted)));
            System.out.printf("lifted safety stop: %d of %d processes were still stopping when it was lifted; all %d ran again"
                    + " %d ms after it%n", stoppingAtLift, KEYS, KEYS, (System.nanoTime() - lifted) / 1_000_000);
            assertThat(node.ownership.keys()).as("the node held every lease throughout").hasSize(KEYS);
        }
    }

    private static Set<String> startedSince(Activity activity, long nanos) {
        return activity.events().stream().filter(event -> event.start() && event.nanos() > nanos).map(Activity.Event::key)
                .collect(Collectors.toSet());
    }
}
