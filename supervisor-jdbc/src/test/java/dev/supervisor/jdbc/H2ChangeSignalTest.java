package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Subscription;
import dev.supervisor.testing.ManualClock;
import dev.supervisor.testsupport.Waits;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * H2's change signal on the shipped table (which has {@link H2ChangeTrigger}), driven by a
 * {@link ManualClock}: each {@code advance} of the poll interval makes one check of the change log,
 * and a check re-arms the next timer only after it has reported. Wakeups by the trigger are off
 * here, so that only the clock makes checks (as for a writer in another JVM); {@code
 * H2WakeupTest} covers them.
 */
class H2ChangeSignalTest {

    private static final Duration POLL = JdbcTable.DEFAULT_POLL_INTERVAL;
    private static final Duration WAIT = Waits.DATABASE;

    private final H2Memory h2 = new H2Memory();
    private final ManualClock clock = new ManualClock();
    private final RecordingChanges changes = new RecordingChanges();
    private JdbcTable<String, String> table;
    private Subscription subscription;

    @BeforeEach
    void subscribe() throws Exception {
        table = JdbcTable.builder(h2.database, row -> row.payload()).clock(clock).withoutWakeups().build();
        subscription = table.subscribe(changes);
        clock.awaitPendingTimers(1, WAIT); // the first check ran
        assertThat(changes.drain()).as("the first check reports the table, changes before it are unknown")
                .containsExactly(RecordingChanges.TABLE);
    }

    @AfterEach
    void close() {
        subscription.close();
        table.close();
        h2.close();
    }

    /** Advances one poll interval and waits until that check has re-armed its timer. */
    private void poll() throws Exception {
        clock.advance(POLL);
        clock.awaitPendingTimers(1, WAIT);
    }

    @Test
    void aRowInsertedByPlainSqlIsReportedByKeyAtTheNextCheck() throws Exception {
        h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('worker-1', 'x')");
        assertThat(changes.signals).isEmpty();
        poll();
        await().atMost(WAIT).until(() -> !changes.signals.isEmpty());
        assertThat(changes.drain()).containsExactly("worker-1");
    }

    @Test
    void anUpdateIsReportedByKey() throws Exception {
        h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('a', 'x')");
        poll();
        await().atMost(WAIT).until(() -> !changes.signals.isEmpty());
        changes.drain();
        h2.sql("UPDATE supervisor_processes SET payload = 'y' WHERE name = 'a'");
        poll();
        await().atMost(WAIT).until(() -> !changes.signals.isEmpty());
        assertThat(changes.drain()).containsExactly("a");
    }

    @Test
    void aDeleteByPlainSqlIsReportedByKey() throws Exception {
        h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('a', 'x'), ('b', 'y')");
        poll();
        await().atMost(WAIT).until(() -> changes.signals.size() == 2);
        changes.drain();
        h2.sql("DELETE FROM supervisor_processes WHERE name = 'a'");
        poll();
        await().atMost(WAIT).until(() -> !changes.signals.isEmpty());
        assertThat(changes.drain()).containsExactly("a");
    }

    @Test
    void aDeleteAndAnInsertBetweenTwoChecksAreBothNoticed() throws Exception {
        h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('a', 'x')");
        poll();
        await().atMost(WAIT).until(() -> !changes.signals.isEmpty());
        changes.drain();
        h2.sql("DELETE FROM supervisor_processes WHERE name = 'a'",
                "INSERT INTO supervisor_processes (name, payload) VALUES ('b', 'y')");
        poll();
        await().atMost(WAIT).until(() -> changes.signals.size() == 2);
        assertThat(changes.drain()).containsExactly("a", "b");
    }

    @Test
    void aBulkInsertIsOneTableChange() throws Exception {
        h2.sql("INSERT INTO supervisor_processes (name, payload) SELECT 'k' || X, 'p' FROM SYSTEM_RANGE(1, 500)");
        poll();
        await().atMost(WAIT).until(() -> !changes.signals.isEmpty());
        assertThat(changes.drain()).containsExactly(RecordingChanges.TABLE);
    }

    /**
     * The interleavings the row count and highest revision could not tell apart: an update of one
     * row committed after a later change of another had been seen (its revision is below the
     * maximum already read), and an update plus a delete of the row with the highest revision.
     */
    @Test
    void anUpdateCommittedAfterALaterChangeWasSeenIsReportedByKey() throws Exception {
        h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('a', 'x'), ('b', 'y')");
        poll();
        await().atMost(WAIT).until(() -> changes.signals.size() == 2);
        changes.drain();
        try (Connection slow = DriverManager.getConnection(h2.url()); Statement statement = slow.createStatement()) {
            slow.setAutoCommit(false);
            statement.execute("UPDATE supervisor_processes SET payload = 'x2' WHERE name = 'a'"); // takes its revision now
            h2.sql("UPDATE supervisor_processes SET payload = 'y2' WHERE name = 'b'");
            poll();
            await().atMost(WAIT).until(() -> !changes.signals.isEmpty());
            assertThat(changes.drain()).containsExactly("b");
            slow.commit();
        }
        poll();
        await().atMost(WAIT).until(() -> !changes.signals.isEmpty());
        assertThat(changes.drain()).containsExactly("a");
    }

    @Test
    void anUpdateAndADeleteOfTheNewestRowBetweenTwoChecksAreReportedByKey() throws Exception {
        h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('a', 'x'), ('b', 'y')");
        poll();
        await().atMost(WAIT).until(() -> changes.signals.size() == 2);
        changes.drain();
        h2.sql("UPDATE supervisor_processes SET payload = 'x2' WHERE name = 'a'",
                "DELETE FROM supervisor_processes WHERE name = 'a'");
        poll();
        await().atMost(WAIT).until(() -> !changes.signals.isEmpty());
        assertThat(changes.drain()).containsExactly("a");
    }

    @Test
    void aRolledBackChangeLeavesAGapThatIsNotReported() throws Exception {
        try (Connection aborted = DriverManager.getConnection(h2.url()); Statement statement = aborted.createStatement()) {
            aborted.setAutoCommit(false);
            statement.execute("INSERT INTO supervisor_processes (name, payload) VALUES ('never', 'x')");
            aborted.rollback();
        }
        h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('b', 'y')");
        poll();
        await().atMost(WAIT).until(() -> !changes.signals.isEmpty());
        poll();
        assertThat(changes.drain()).containsExactly("b");
    }

    @Test
    void aTruncateFiresNoTriggerAndIsReportedAsATableChange() throws Exception {
        h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('a', 'x')");
        poll();
        await().atMost(WAIT).until(() -> !changes.signals.isEmpty());
        changes.drain();
        h2.sql("TRUNCATE TABLE supervisor_processes");
        poll();
        await().atMost(WAIT).until(() -> !changes.signals.isEmpty());
        assertThat(changes.drain()).containsExactly(RecordingChanges.TABLE);
    }

    /** ALTER TABLE rebuilds the table under a temporary name (as a later migration adding a column does). */
    @Test
    void aColumnAddedToTheTableKeepsItsSignal() throws Exception {
        h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('a', 'x')",
                "ALTER TABLE supervisor_processes ADD COLUMN extra VARCHAR",
                "INSERT INTO supervisor_processes (name, payload) VALUES ('b', 'y')");
        poll();
        await().atMost(WAIT).until(() -> changes.signals.size() == 2);
        assertThat(changes.drain()).containsExactly("a", "b");
    }

    /**
     * The row count and the log are read in one snapshot: a write committed between the two reads
     * of a check must not look like a change made without the trigger (a whole-table report, and a
     * full pass, where a key was enough). Checks run back to back while another connection inserts
     * rows one at a time, so that many commits land inside a check.
     */
    @Test
    void writesCommittedDuringACheckAreReportedByKeyNeverAsATableChange() throws Exception {
        int rows = 1_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            try (Connection connection = DriverManager.getConnection(h2.url());
                 PreparedStatement insert = connection.prepareStatement(
                         "INSERT INTO supervisor_processes (name, payload) VALUES (?, 'x')")) {
                for (int i = 0; i < rows; i++) {
                    int written = i;
                    // at most a few rows ahead of the checks: more than 64 in one check is reported
                    // as a table change by design
                    await().atMost(WAIT).pollInterval(Duration.ofMillis(1))
                            .until(() -> written - changes.signals.size() < 16);
                    insert.setString(1, "w-" + i);
                    insert.executeUpdate();
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        while (writer.isAlive()) {
            poll();
        }
        writer.join();
        assertThat(failure.get()).isNull();
        poll();
        assertThat(changes.signals).as("every insert reported by key, none as a table change")
                .doesNotContain(RecordingChanges.TABLE).hasSize(rows);
    }

    @Test
    void nothingIsReportedWhileNothingChanges() throws Exception {
        for (int i = 0; i < 5; i++) {
            poll();
        }
        assertThat(changes.signals).isEmpty();
    }

    @Test
    void putAndRemoveSignalAtOnceWithoutWaitingForACheck() {
        table.put("a", "x");
        assertThat(changes.drain()).containsExactly("a");
        table.remove("a");
        assertThat(changes.drain()).containsExactly("a");
    }

    @Test
    void closingTheLastSubscriptionStopsChecking() throws Exception {
        subscription.close();
        await().atMost(WAIT).until(() -> clock.pendingTimers() == 0);
        h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('a', 'x')");
        clock.advance(POLL.multipliedBy(3));
        assertThat(changes.signals).isEmpty();
    }
}
