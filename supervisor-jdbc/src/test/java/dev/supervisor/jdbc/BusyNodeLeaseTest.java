package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.KeyState;
import dev.supervisor.ProcessContext;
import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.testsupport.Waits;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node whose processes keep every virtual-thread carrier busy (virtual threads are not
 * time-sliced) still beats its heartbeat and still stops its processes at the safety deadline:
 * both run on platform threads of their own, on real PostgreSQL and the real clock.
 */
class BusyNodeLeaseTest {

    private static final Duration WAIT = Waits.CLUSTER;
    /** More spinners than carriers, so every carrier spins and some spinners never get one. */
    private static final int SPINNERS = Runtime.getRuntime().availableProcessors() + 1;

    private final AtomicBoolean testOver = new AtomicBoolean();
    private final Set<String> spinning = ConcurrentHashMap.newKeySet();
    private final Set<String> interrupted = ConcurrentHashMap.newKeySet();
    private final PostgresSchema postgres = new PostgresSchema("busy_node");
    private final SwitchableDataSource leaseData = new SwitchableDataSource(postgres.database.dataSource());

    /** Spins, never blocking, until the test is over; notes that it spins and that it was interrupted. */
    private final class Spinner implements Runner {
        private final String key;

        Spinner(String key) {
            this.key = key;
        }

        @Override
        public void run(ProcessContext context) {
            context.ready();
            spinning.add(key);
            while (!testOver.get()) {
                if (Thread.currentThread().isInterrupted()) {
                    interrupted.add(key);
                }
            }
        }
    }

    @AfterEach
    void close() throws Exception {
        testOver.set(true);
        postgres.close();
    }

    @Test
    void processesBusyOnEveryCarrierStarveNeitherTheHeartbeatNorTheSafetyStop() throws Exception {
        try (JdbcTable<String, Spinner> table = JdbcTable.builder(postgres.database, row -> new Spinner(row.key())).build()) {
            // The leases' connections can be taken away; the supervisor closes them with itself.
            LeaseOwnership<String> leases = LeaseOwnership.builder(table).dataSource(leaseData).ttl(Duration.ofSeconds(3))
                    .safetyMargin(Duration.ofSeconds(1)).renewInterval(Duration.ofMillis(200)).build();
            Supervisor<String, Spinner> node = Supervisor.builder(table).ownership(leases).build();
            for (int i = 0; i < SPINNERS; i++) {
                table.put("spin-" + i, "");
            }
            node.launch();
            await().atMost(WAIT).until(() -> spinning.size() >= Math.min(SPINNERS, carriers()));

            Timestamp before = heartbeatOf(leases);
            await("the heartbeat of a node whose carriers all spin").atMost(WAIT)
                    .until(() -> heartbeatOf(leases).after(before));

            leaseData.off();
            await("the safety stop of a node whose carriers all spin").atMost(WAIT)
                    .until(() -> interrupted.containsAll(spinning));
            // A spinner that never got a carrier is still STARTING: it was interrupted before it ran.
            assertThat(node.statuses().values()).as("every running process told to stop").allSatisfy(status ->
                    assertThat(status.state()).isNotEqualTo(KeyState.RUNNING));
            testOver.set(true);
            node.close();
        }
    }

    /** How many carrier threads run virtual threads (the JDK's default: one per processor). */
    private static int carriers() {
        return Integer.getInteger("jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
    }

    private Timestamp heartbeatOf(LeaseOwnership<String> leases) throws Exception {
        try (var connection = postgres.plainConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT heartbeat_at FROM supervisor_nodes WHERE node = '" + leases.nodeId() + "'")) {
            assertThat(row.next()).as("the node's row").isTrue();
            return row.getTimestamp(1);
        }
    }
}
