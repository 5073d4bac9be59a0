package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.KeyState;
import dev.supervisor.ProcessExit;
import dev.supervisor.ProcessStatus;
import dev.supervisor.testing.ManualClock;
import dev.supervisor.testsupport.Waits;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatusWriterTest {

    private static final Duration FLUSH = Duration.ofSeconds(1);
    private static final Duration WAIT = Waits.DATABASE;

    private final H2Memory h2 = new H2Memory();
    private final ManualClock clock = new ManualClock();
    private StatusWriter<String> writer;

    @AfterEach
    void close() {
        if (writer != null) {
            writer.close();
        }
        h2.close();
    }

    private StatusWriter<String> writer(int batchSize) {
        writer = StatusWriter.<String>builder(h2.database).clock(clock).node("node-1").flushInterval(FLUSH)
                .batchSize(batchSize).build();
        return writer;
    }

    private static ProcessStatus<String> running(String key, int attempt) {
        Instant at = ManualClock.DEFAULT_START.plusSeconds(attempt);
        return new ProcessStatus<>(key, KeyState.RUNNING, attempt, attempt - 1, Optional.of(at), Optional.of(at),
                Optional.empty(), Optional.empty());
    }

    /** Lets the flush timer fire and waits until that flush re-armed it. */
    private void flushByClock() throws Exception {
        clock.awaitPendingTimers(1, WAIT);
        clock.advance(FLUSH);
        clock.awaitPendingTimers(1, WAIT);
    }

    @Test
    void manyChangesOfFewKeysAreWrittenAsTheLatestStatusInOneBatch() throws Exception {
        writer(50);
        for (int attempt = 1; attempt <= 100; attempt++) {
            for (int k = 0; k < 10; k++) {
                writer.statusChanged(running("key-" + k, attempt));
            }
        }
        assertThat(h2.number("SELECT COUNT(*) FROM supervisor_status")).as("nothing written before the flush").isZero();
        flushByClock();
        assertThat(writer.pending()).isZero();
        assertThat(writer.batchesWritten()).isEqualTo(1);
        assertThat(h2.number("SELECT COUNT(*) FROM supervisor_status")).isEqualTo(10);
        assertThat(h2.number("SELECT MIN(attempt) FROM supervisor_status WHERE node = 'node-1' AND state = 'RUNNING'"))
                .isEqualTo(100);
        assertThat(h2.number("SELECT restarts FROM supervisor_status WHERE name = 'key-3'")).isEqualTo(99);
    }

    @Test
    void aFullBatchIsWrittenWithoutWaitingForTheTimer() {
        writer(5);
        for (int k = 0; k < 5; k++) {
            writer.statusChanged(running("key-" + k, 1));
        }
        await().atMost(WAIT).until(() -> h2.number("SELECT COUNT(*) FROM supervisor_status") == 5);
        assertThat(clock.now()).isEqualTo(ManualClock.DEFAULT_START);
    }

    @Test
    void writesTimesAndTheLastExit() throws Exception {
        writer(50);
        Instant started = ManualClock.DEFAULT_START.minusSeconds(30);
        ProcessExit exit = new ProcessExit(ProcessExit.Kind.FAILED, Optional.of(new IllegalStateException("boom")), 1,
                ManualClock.DEFAULT_START, Duration.ofSeconds(30));
        Instant next = ManualClock.DEFAULT_START.plusSeconds(1);
        writer.statusChanged(new ProcessStatus<>("a", KeyState.BACKOFF, 1, 0, Optional.of(started), Optional.empty(),
                Optional.of(next), Optional.of(exit)));
        flushByClock();
        try (Connection c = DriverManager.getConnection(h2.url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT state, started_at, next_attempt_at, exited_at, last_exit, last_error, pid"
                     + " FROM supervisor_status WHERE name = 'a'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("state")).isEqualTo("BACKOFF");
            assertThat(rs.getObject("started_at", OffsetDateTime.class).toInstant()).isEqualTo(started);
            assertThat(rs.getObject("next_attempt_at", OffsetDateTime.class).toInstant()).isEqualTo(next);
            assertThat(rs.getObject("exited_at", OffsetDateTime.class).toInstant()).isEqualTo(ManualClock.DEFAULT_START);
            assertThat(rs.getString("last_exit")).isEqualTo("FAILED");
            assertThat(rs.getString("last_error")).isEqualTo("java.lang.IllegalStateException: boom");
            assertThat(rs.getObject("pid")).isNull();
        }
    }

    @Test
    void processDetailsAreTakenWhenTheStatusIsRecordedAndWrittenToTheirColumns() throws Exception {
        Instant processStart = ManualClock.DEFAULT_START.minusMillis(1500);
        writer = StatusWriter.<String>builder(h2.database).clock(clock).node("node-1").flushInterval(FLUSH)
                .processDetails(status -> status.attempt() == 1
                        ? new ProcessDetails(OptionalLong.of(4242), Optional.of(processStart), OptionalInt.empty())
                        : new ProcessDetails(OptionalLong.empty(), Optional.empty(), OptionalInt.of(137)))
                .build();
        writer.statusChanged(running("a", 1));
        writer.statusChanged(running("b", 2));
        flushByClock();
        try (Connection c = DriverManager.getConnection(h2.url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, pid, process_started_at, exit_code FROM supervisor_status ORDER BY name")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong("pid")).isEqualTo(4242);
            assertThat(rs.getObject("process_started_at", OffsetDateTime.class).toInstant()).isEqualTo(processStart);
            assertThat(rs.getObject("exit_code")).isNull();
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject("pid")).isNull();
            assertThat(rs.getObject("process_started_at")).isNull();
            assertThat(rs.getInt("exit_code")).isEqualTo(137);
        }
    }

    @Test
    void aRetiredKeysRowIsDeleted() throws Exception {
        writer(50);
        writer.statusChanged(running("a", 1));
        writer.statusChanged(running("b", 1));
        flushByClock();
        writer.retired(running("a", 1));
        flushByClock();
        assertThat(h2.number("SELECT COUNT(*) FROM supervisor_status WHERE name = 'a'")).isZero();
        assertThat(h2.number("SELECT COUNT(*) FROM supervisor_status WHERE name = 'b'")).isEqualTo(1);
    }

    @Test
    void duringAnOutageWritesWaitAndOnlyTheLatestStatusSurvives() throws Exception {
        writer(50);
        h2.sql("ALTER TABLE supervisor_status RENAME TO supervisor_status_away");
        for (int attempt = 1; attempt <= 5; attempt++) {
            writer.statusChanged(running("a", attempt)); // returns at once, database or not
        }
        flushByClock();
        assertThat(writer.failedFlushes()).isPositive();
        assertThat(writer.pending()).isEqualTo(1);
        writer.statusChanged(running("a", 6));
        writer.retired(running("gone", 1));
        h2.sql("ALTER TABLE supervisor_status_away RENAME TO supervisor_status");
        flushByClock();
        assertThat(writer.pending()).isZero();
        assertThat(h2.number("SELECT attempt FROM supervisor_status WHERE name = 'a'")).isEqualTo(6);
    }

    @Test
    void aClosedDatabaseNeverThrowsIntoTheSupervisor() {
        writer(50);
        h2.database.close();
        writer.statusChanged(running("a", 1));
        writer.retired(running("a", 1));
        assertThat(writer.flushNow()).isFalse();
        assertThat(writer.pending()).isEqualTo(1);
    }

    @Test
    void closeWritesWhatIsPending() {
        writer(50);
        writer.statusChanged(running("a", 1));
        writer.close();
        assertThat(h2.number("SELECT COUNT(*) FROM supervisor_status")).isEqualTo(1);
        writer.statusChanged(running("b", 1)); // after close: ignored, no exception
        assertThat(writer.pending()).isZero();
    }
}
