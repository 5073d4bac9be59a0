package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervisor.jdbc.internal.lease.LeaseLoop;
import dev.supervisor.testing.ManualClock;
import dev.supervisor.testsupport.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Leases on in-process H2, with the supervisor played by {@link RecordingControl} and every
 * timer on a {@link ManualClock}: claiming, epochs, sharing, release, and the safety deadline
 * of a node that cannot renew. (The database's own clock still runs in real time; with a TTL of
 * a minute nothing expires in the database during a test.)
 */
@Timeout(60)
class LeaseOwnershipTest {

    private static final Duration WAIT = Waits.DATABASE;
    private static final Duration TTL = Duration.ofSeconds(60);
    private static final Duration MARGIN = Duration.ofSeconds(10);
    private static final Duration WINDOW = TTL.minus(MARGIN);
    private static final Duration RENEW = Duration.ofSeconds(1);

    private final H2Memory h2 = new H2Memory();
    private final SwitchableDataSource dataSource = new SwitchableDataSource(h2.database.dataSource());
    private final JdbcTable<String, String> table = JdbcTable.builder(dataSource, row -> row.payload()).dialect(Dialect.H2).build();
    private final ManualClock clock = new ManualClock();
    private final List<LeaseOwnership<String>> nodes = new ArrayList<>();

    @AfterEach
    void close() {
        nodes.forEach(LeaseOwnership::close);
        h2.close();
    }

    private LeaseOwnership<String> node(String name) {
        LeaseOwnership<String> node = LeaseOwnership.builder(table).nodeName(name).clock(clock)
                .ttl(TTL).safetyMargin(MARGIN).renewInterval(RENEW).build();
        nodes.add(node);
        return node;
    }

    private void rows(String... keys) {
        for (String key : keys) {
            h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('" + key + "', 'x')");
        }
    }

    private long leasesOf(LeaseOwnership<String> node) {
        return h2.number("SELECT COUNT(*) FROM supervisor_leases WHERE owner = '" + node.nodeId() + "'");
    }

    /** Advances the clock a renew interval at a time until condition holds. */
    private void advanceUntil(Callable<Boolean> condition) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(25)).until(() -> {
            if (condition.call()) {
                return true;
            }
            clock.advance(RENEW);
            return false;
        });
    }

    @Test
    void claimsEveryRowAndGivesEachKeyAnEpoch() {
        rows("a", "b", "c");
        RecordingControl control = new RecordingControl();
        LeaseOwnership<String> node = node("n1");

        node.open(control);

        await().atMost(WAIT).until(() -> control.running.size() == 3);
        assertThat(node.keys()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(leasesOf(node)).isEqualTo(3);
        OptionalLong a = node.tryAcquire("a");
        OptionalLong b = node.tryAcquire("b");
        assertThat(a).isPresent();
        assertThat(b).isPresent();
        assertThat(a.getAsLong()).isNotEqualTo(b.getAsLong()).isPositive();
        assertThat(node.tryAcquire("not-a-row")).isEmpty();
        assertThat(h2.number("SELECT COUNT(*) FROM supervisor_nodes WHERE node = '" + node.nodeId() + "'")).isEqualTo(1);
    }

    @Test
    void theEpochGrowsWithEveryClaimOfAKey() {
        rows("a");
        LeaseOwnership<String> first = node("n1");
        first.open(new RecordingControl());
        await().atMost(WAIT).until(() -> first.tryAcquire("a").isPresent());
        long firstEpoch = first.tryAcquire("a").getAsLong();
        first.close();

        LeaseOwnership<String> second = node("n2");
        second.open(new RecordingControl());
        await().atMost(WAIT).until(() -> second.tryAcquire("a").isPresent());

        assertThat(second.tryAcquire("a").getAsLong()).isGreaterThan(firstEpoch);
    }

    @Test
    void aNewNodeGetsItsShareAndNoKeyIsHeldTwice() {
        rows("a", "b", "c", "d");
        RecordingControl firstControl = new RecordingControl();
        RecordingControl secondControl = new RecordingControl();
        LeaseOwnership<String> first = node("n1");
        first.open(firstControl);
        await().atMost(WAIT).until(() -> first.keys().size() == 4);

        LeaseOwnership<String> second = node("n2");
        second.open(secondControl);
        advanceUntil(() -> first.keys().size() == 2 && second.keys().size() == 2);

        assertThat(first.keys()).doesNotContainAnyElementsOf(second.keys());
        assertThat(firstControl.lost).as("the first node stopped what it handed over").hasSize(2);
        assertThat(h2.number("SELECT COUNT(*) FROM supervisor_leases")).isEqualTo(4);
    }

    @Test
    void closeReleasesEveryLeaseAndTheHeartbeat() {
        rows("a", "b");
        LeaseOwnership<String> node = node("n1");
        node.open(new RecordingControl());
        await().atMost(WAIT).until(() -> node.keys().size() == 2);

        node.close();

        assertThat(leasesOf(node)).isZero();
        assertThat(h2.number("SELECT COUNT(*) FROM supervisor_nodes")).isZero();
        assertThat(node.tryAcquire("a")).isEmpty();
    }

    @Test
    void aKeyTheSupervisorReleasesLosesItsLease() {
        rows("a", "b");
        RecordingControl control = new RecordingControl();
        LeaseOwnership<String> node = node("n1");
        node.open(control);
        await().atMost(WAIT).until(() -> node.keys().size() == 2);

        h2.sql("DELETE FROM supervisor_processes WHERE name = 'a'");
        node.release("a");

        await().atMost(WAIT).until(() -> h2.number("SELECT COUNT(*) FROM supervisor_leases WHERE name = 'a'") == 0);
        assertThat(node.tryAcquire("a")).isEmpty();
        assertThat(node.keys()).containsExactly("b");
    }

    @Test
    void aLeaseWhoseRowIsGoneIsStoppedAndReleased() {
        rows("a", "b");
        RecordingControl control = new RecordingControl();
        LeaseOwnership<String> node = node("n1");
        node.open(control);
        await().atMost(WAIT).until(() -> node.keys().size() == 2);

        h2.sql("DELETE FROM supervisor_processes WHERE name = 'a'"); // the supervisor never calls release

        advanceUntil(() -> h2.number("SELECT COUNT(*) FROM supervisor_leases WHERE name = 'a'") == 0);
        assertThat(control.lostCount("a")).isEqualTo(1);
        assertThat(node.keys()).containsExactly("b");
    }

    /** Leases are not re-read on every renewal (that would cost a read per key); a housekeeping round finds the change. */
    @Test
    void aLeaseTakenAwayInTheDatabaseIsStoppedAtTheNextReconciliation() {
        rows("a", "b");
        RecordingControl control = new RecordingControl();
        LeaseOwnership<String> node = node("n1");
        node.open(control);
        await().atMost(WAIT).until(() -> node.keys().size() == 2);

        h2.sql("INSERT INTO supervisor_nodes (node, name, table_name, capacity, started_at, heartbeat_at, expires_at)"
                        + " VALUES ('someone-else', 'other', 'x', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, DATEADD(HOUR, 1, CURRENT_TIMESTAMP))",
                "UPDATE supervisor_leases SET owner = 'someone-else', epoch = epoch + 1000 WHERE name = 'a'");

        advanceUntil(() -> control.lostCount("a") == 1);
        assertThat(control.lost).contains(new RecordingControl.Lost("a", Duration.ZERO));
        assertThat(node.tryAcquire("a")).isEmpty();
        assertThat(node.tryAcquire("b")).isPresent();
    }

    /**
     * Renewal cost is flat in the key count: a renewal writes the node's liveness row only; the
     * lease rows stay exactly as their claim wrote them.
     */
    @Test
    void aRenewalWritesTheNodesRowAndNoLeaseRow() {
        rows("a", "b", "c");
        LeaseOwnership<String> node = node("n1");
        node.open(new RecordingControl());
        await().atMost(WAIT).until(() -> node.keys().size() == 3);
        String leases = "SELECT name || owner || epoch || acquired_at || expires_at FROM supervisor_leases ORDER BY name";
        List<String> before = h2.strings(leases);
        String beat = "SELECT heartbeat_at FROM supervisor_nodes WHERE node = '" + node.nodeId() + "'";
        String firstBeat = h2.strings(beat).getFirst();

        advanceUntil(() -> !h2.strings(beat).getFirst().equals(firstBeat));
        for (int i = 0; i < 5; i++) {
            clock.advance(RENEW);
        }

        assertThat(h2.strings(leases)).isEqualTo(before);
    }

    /**
     * A table at rest is not scanned every claim round: the row count, the one statement of a
     * round whose cost grows with the table, is reused by plain scheduled rounds, and taken again
     * in a round the supervisor asks for (it met a key no node holds), which then claims the new row.
     */
    @Test
    void scheduledRoundsReuseTheRowCountAndANewRowIsCountedAndClaimed() {
        String round = "SELECT node, capacity FROM"; // every round reads the live nodes' capacities once
        String rowCount = "SELECT COUNT(*) FROM supervisor_processes";
        StatementLog log = new StatementLog(dataSource);
        rows("a", "b", "c");
        LeaseOwnership<String> node = LeaseOwnership.builder(table).nodeName("n1").clock(clock).dataSource(log)
                .ttl(TTL).safetyMargin(MARGIN).renewInterval(RENEW).build();
        nodes.add(node);
        node.open(new RecordingControl());
        await().atMost(WAIT).until(() -> node.keys().size() == 3);
        long counted = log.count(rowCount);
        assertThat(counted).as("the first round counts").isPositive();

        // five more scheduled rounds, one at a time: all before the tenth (a housekeeping round, which counts)
        Duration claimPeriod = RENEW.multipliedBy(LeaseLoop.CLAIM_EVERY_RENEWALS);
        for (int i = 0; i < 5; i++) {
            // the last round has ended: it armed the next one's timer, one claim period from now
            await().atMost(WAIT).until(() -> clock.pendingTimerDues().contains(clock.now().plus(claimPeriod)));
            long rounds = log.count(round);
            clock.advance(claimPeriod);
            await().atMost(WAIT).until(() -> log.count(round) > rounds);
        }
        assertThat(log.count(rowCount)).as("row counts in plain scheduled rounds").isEqualTo(counted);

        rows("d");
        assertThat(node.tryAcquire("d")).isEmpty(); // as the supervisor asks for a key it may not run yet
        // the clock moves on by the spacing of asked-for rounds only, far from the next scheduled round
        clock.advance(LeaseLoop.CLAIM_SPACING);
        await().atMost(WAIT).until(() -> node.keys().contains("d"));
        assertThat(log.count(rowCount)).as("the asked-for round counts").isGreaterThan(counted);
    }

    /**
     * An incarnation the others declared dead (its row expired and was deleted) never renews
     * again: its keys are lost at once, and the node goes on as a new incarnation that claims them
     * anew, with new epochs.
     */
    @Test
    void anIncarnationDeclaredDeadGoesOnAsANewOne() {
        rows("a");
        RecordingControl control = new RecordingControl();
        LeaseOwnership<String> node = node("n1");
        node.open(control);
        await().atMost(WAIT).until(() -> node.tryAcquire("a").isPresent());
        String first = node.nodeId();
        long epoch = node.tryAcquire("a").getAsLong();

        h2.sql("DELETE FROM supervisor_nodes WHERE node = '" + first + "'"); // as a claimer does once it expired

        advanceUntil(() -> !node.nodeId().equals(first) && node.tryAcquire("a").isPresent());
        assertThat(control.lost).contains(new RecordingControl.Lost("a", Duration.ZERO));
        assertThat(node.tryAcquire("a").getAsLong()).isGreaterThan(epoch);
        assertThat(h2.number("SELECT COUNT(*) FROM supervisor_nodes WHERE node = '" + first + "'")).isZero();
    }

    /**
     * The safety deadline: with every renewal failing, the node stops its processes (forced
     * after half the margin) once ttl - margin has passed since the last successful renewal was
     * sent, strictly before the leases can expire; they start again when a renewal succeeds.
     */
    @Test
    void aNodeThatCannotRenewStopsItsProcessesBeforeItsLeasesCanExpire() {
        rows("a", "b");
        RecordingControl control = new RecordingControl();
        LeaseOwnership<String> node = node("n1");
        node.open(control);
        await().atMost(WAIT).until(() -> control.running.size() == 2);

        dataSource.off();
        clock.advance(WINDOW.minusMillis(1));
        assertThat(control.lost).as("nothing stopped before the deadline").isEmpty();
        clock.advance(Duration.ofMillis(1));

        await().atMost(WAIT).until(() -> control.lost.size() == 2);
        assertThat(control.lost).containsExactlyInAnyOrder(new RecordingControl.Lost("a", MARGIN.dividedBy(2)),
                new RecordingControl.Lost("b", MARGIN.dividedBy(2)));
        assertThat(node.tryAcquire("a")).isEmpty();
        assertThat(node.keys()).isEmpty();

        dataSource.on();
        advanceUntil(() -> control.running.size() == 2);
        assertThat(node.tryAcquire("a")).isPresent();
        assertThat(leasesOf(node)).isEqualTo(2);
    }

    /**
     * A renewal that was sent in time but answered after its safety window (packets held up)
     * vouches for nothing: the processes stay stopped until a renewal is answered in time.
     */
    @Test
    void aRenewalAnsweredTooLateDoesNotRestartTheProcesses() throws Exception {
        rows("a");
        RecordingControl control = new RecordingControl();
        LeaseOwnership<String> node = node("n1");
        node.open(control);
        await().atMost(WAIT).until(() -> control.running.size() == 1);

        CountDownLatch firstGate = dataSource.hold();
        clock.advance(RENEW); // the renewal is sent now, and waits for its connection
        await().atMost(WAIT).until(() -> dataSource.waiting.get() == 1);
        clock.advance(WINDOW); // both the current deadline and the waiting renewal's window pass
        await().atMost(WAIT).until(() -> control.lost.size() == 1);

        CountDownLatch secondGate = dataSource.hold(); // whatever the loop does next waits here
        firstGate.countDown(); // the late renewal succeeds now
        await().atMost(WAIT).until(() -> dataSource.waiting.get() == 1);
        assertThat(node.tryAcquire("a")).as("a late renewal restarted nothing").isEmpty();
        assertThat(control.acquired).hasSize(1);

        secondGate.countDown();
        advanceUntil(() -> control.running.size() == 1);
        assertThat(control.acquired).hasSize(2);
        assertThat(node.tryAcquire("a")).isPresent();
    }

    @Test
    void capacityLimitsTheKeysOfOneNode() {
        rows("a", "b", "c");
        LeaseOwnership<String> node = LeaseOwnership.builder(table).nodeName("small").clock(clock).ttl(TTL)
                .safetyMargin(MARGIN).renewInterval(RENEW).capacity(2).build();
        nodes.add(node);
        node.open(new RecordingControl());
        await().atMost(WAIT).until(() -> node.keys().size() == 2);
        clock.advance(RENEW);
        clock.advance(RENEW);
        assertThat(leasesOf(node)).isEqualTo(2);
    }

    @Test
    void optionsThatCannotWorkAreRefusedWithTheReason() {
        assertThatThrownBy(() -> LeaseOwnership.builder(table).ttl(Duration.ofSeconds(5)).safetyMargin(Duration.ofSeconds(5)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("safetyMargin PT5S must be shorter than ttl PT5S");
        assertThatThrownBy(() -> LeaseOwnership.builder(table).renewInterval(Duration.ofSeconds(6)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least two renewals");
        assertThatThrownBy(() -> LeaseOwnership.builder(table).ttl(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl must be positive");
        assertThatThrownBy(() -> LeaseOwnership.builder(table).capacity(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity must be >= 1, was 0");
        assertThatThrownBy(() -> LeaseOwnership.builder(table).nodeName(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodeName");
    }
}
