package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Subscription;
import dev.supervisor.testsupport.Waits;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * H2's trigger wakes the change check of the JVM that hosts the database: with the poll an hour
 * away, only a wakeup explains a signal. A change committed right away is reported; so is one whose
 * transaction commits a while after the trigger ran (the woken check does not see it at first, and
 * looks again, every millisecond for up to a second).
 */
@Timeout(60)
class H2WakeupTest {

    private static final Duration WAIT = Waits.DATABASE;

    private final H2Memory h2 = new H2Memory();
    private final RecordingChanges changes = new RecordingChanges();
    private JdbcTable<String, String> table;
    private Subscription subscription;

    @BeforeEach
    void subscribe() {
        table = JdbcTable.builder(h2.database, Row::payload).pollInterval(Duration.ofHours(1)).build();
        subscription = table.subscribe(changes);
        await().atMost(WAIT).until(() -> changes.signals.contains(RecordingChanges.TABLE)); // the first check
        changes.drain();
    }

    @AfterEach
    void close() {
        subscription.close();
        table.close();
        h2.close();
    }

    @Test
    void anInsertByAnotherConnectionWakesTheCheck() {
        h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('a', 'x')");
        await().atMost(WAIT).until(() -> changes.signals.contains("a"));
        h2.sql("DELETE FROM supervisor_processes WHERE name = 'a'");
        await().atMost(WAIT).until(() -> changes.signals.size() == 2);
        assertThat(changes.drain()).containsExactly("a", "a");
    }

    @Test
    void aChangeCommittedLaterIsReportedOnceCommitted() throws Exception {
        try (Connection slow = DriverManager.getConnection(h2.url()); Statement statement = slow.createStatement()) {
            slow.setAutoCommit(false);
            statement.execute("INSERT INTO supervisor_processes (name, payload) VALUES ('late', 'x')");
            assertThat(changes.signals).isEmpty();
            slow.commit();
        }
        await().atMost(WAIT).until(() -> changes.signals.contains("late"));
        assertThat(changes.drain()).containsExactly("late");
    }
}
