package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Subscription;
import dev.supervisor.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * H2's change signal, driven by a {@link ManualClock}: each {@code advance} of the poll interval
 * makes one revision check, and a check re-arms the next timer only after it has reported.
 */
class H2ChangeSignalTest {

    private static final Duration POLL = JdbcTable.DEFAULT_POLL_INTERVAL;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final H2Memory h2 = new H2Memory();
    private final ManualClock clock = new ManualClock();
    private final RecordingChanges changes = new RecordingChanges();
    private JdbcTable<String, String> table;
    private Subscription subscription;

    @BeforeEach
    void subscribe() throws Exception {
        table = JdbcTable.builder(h2.database, row -> row.payload()).clock(clock).build();
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
    void anUpdateIsReportedByKeyAndAsATableChange() throws Exception {
        h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('a', 'x')");
        poll();
        await().atMost(WAIT).until(() -> !changes.signals.isEmpty());
        changes.drain();
        h2.sql("UPDATE supervisor_processes SET payload = 'y' WHERE name = 'a'");
        poll();
        await().atMost(WAIT).until(() -> changes.signals.size() == 2);
        // same count, one changed row: an update, or an insert and a delete of another row
        assertThat(changes.drain()).containsExactly("a", RecordingChanges.TABLE);
    }

    @Test
    void aDeleteByPlainSqlIsReportedAsATableChange() throws Exception {
        h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('a', 'x'), ('b', 'y')");
        poll();
        await().atMost(WAIT).until(() -> changes.signals.size() == 2);
        changes.drain();
        h2.sql("DELETE FROM supervisor_processes WHERE name = 'a'");
        poll();
        await().atMost(WAIT).until(() -> !changes.signals.isEmpty());
        assertThat(changes.drain()).containsExactly(RecordingChanges.TABLE);
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
        assertThat(changes.drain()).containsExactly("b", RecordingChanges.TABLE);
    }

    @Test
    void aBulkInsertIsOneTableChange() throws Exception {
        h2.sql("INSERT INTO supervisor_processes (name, payload) SELECT 'k' || X, 'p' FROM SYSTEM_RANGE(1, 500)");
        poll();
        await().atMost(WAIT).until(() -> !changes.signals.isEmpty());
        assertThat(changes.drain()).containsExactly(RecordingChanges.TABLE);
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
