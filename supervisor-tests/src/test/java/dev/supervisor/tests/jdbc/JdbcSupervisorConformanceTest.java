package dev.supervisor.tests.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Cursor;
import dev.supervisor.KeyState;
import dev.supervisor.PassReport;
import dev.supervisor.ProcessStatus;
import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.Table;
import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.jdbc.StatusWriter;
import dev.supervisor.testsupport.Waits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The supervisor end to end on a real database: rows are written by plain SQL on a connection of
 * its own, as another program would, and the supervisor reacts through the table's change signal.
 * One small subclass per database supplies {@link #db()}.
 */
abstract class JdbcSupervisorConformanceTest extends SupervisorOnDatabase {

    @Test
    void aRowInsertedBySqlStartsAndADeletedRowRetires() {
        Supervisor<String, Worker> supervisor = launch(table());
        insert("alpha", "run");
        await().atMost(WAIT).until(() -> running(supervisor, "alpha"));
        db().sql("DELETE FROM supervisor_processes WHERE name = 'alpha'");
        await().atMost(WAIT).until(() -> retired.contains("alpha"));
        assertThat(supervisor.keys()).doesNotContain("alpha");
        assertThat(runs.starts("alpha")).isEqualTo(1);
    }

    @Test
    void rowsPresentAtLaunchAreRestored() {
        insert("one", "run");
        insert("two", "run");
        Supervisor<String, Worker> supervisor = launch(table());
        await().atMost(WAIT).until(() -> running(supervisor, "one") && running(supervisor, "two"));
    }

    @Test
    void stopEndsTheProcessGracefully() {
        insert("alpha", "run");
        Supervisor<String, Worker> supervisor = launch(table());
        await().atMost(WAIT).until(() -> running(supervisor, "alpha"));
        supervisor.stop("alpha");
        assertThat(supervisor.keys()).doesNotContain("alpha");
        assertThat(supervisor.status("alpha")).map(ProcessStatus::state).contains(KeyState.STOPPED);
    }

    @Test
    void aFailedProcessIsRestartedWhileItsRowExists() {
        insert("flaky", "fail-once");
        Supervisor<String, Worker> supervisor = launch(table());
        await().atMost(WAIT).until(() -> runs.starts("flaky") == 2 && running(supervisor, "flaky"));
        assertThat(supervisor.status("flaky").orElseThrow().attempt()).isEqualTo(2);
    }

    @Test
    void aProcessThatDeletesItsOwnRowIsNotRestarted() {
        Supervisor<String, Worker> supervisor = launch(table());
        insert("once", "retire");
        await().atMost(WAIT).until(() -> retired.contains("once"));
        assertThat(db().number("SELECT COUNT(*) FROM supervisor_processes")).isZero();
        assertThat(supervisor.keys()).isEmpty();
        assertThat(runs.starts("once")).isEqualTo(1);
    }

    @Test
    void anUndecodablePayloadIsSkippedAndReported() {
        insert("good", "run");
        insert("broken", "bad{json");
        Supervisor<String, Worker> supervisor = launch(table());
        await().atMost(WAIT).until(() -> running(supervisor, "good"));
        PassReport<String> first = passes.getFirst();
        assertThat(first.skipped()).singleElement().satisfies(skipped -> {
            assertThat(skipped.key()).isEqualTo("broken");
            assertThat(skipped.error()).hasMessageContaining("key broken");
        });
        assertThat(supervisor.keys()).containsExactly("good");
    }

    @Test
    void statusRowsShowWhatRuns() {
        StatusWriter<String> status = closeAfter(StatusWriter.<String>builder(db().database()).node("test-node")
                .flushInterval(Duration.ofMillis(20)).build());
        Supervisor<String, Worker> supervisor = launch(table(), status);
        insert("alpha", "run");
        await().atMost(WAIT).until(() -> db().number(
                "SELECT COUNT(*) FROM supervisor_status WHERE name = 'alpha' AND node = 'test-node' AND state = 'RUNNING'") == 1);
        db().sql("DELETE FROM supervisor_processes WHERE name = 'alpha'");
        await().atMost(WAIT).until(() -> db().number("SELECT COUNT(*) FROM supervisor_status") == 0);
        assertThat(supervisor.keys()).isEmpty();
    }

    /** 10,000 rows: the launch pass starts them all, reading the table in 40 pages of 256 rows. */
    @Test
    void oneLaunchPassStartsTenThousandRowsPageByPage() throws Exception {
        int rows = 10_000;
        insertMany("bulk", rows);
        JdbcTable<String, Worker> table = table();
        Supervisor<String, Worker> supervisor = launch(withoutSignals(table));
        PassReport<String> launchPass = passes.getFirst();
        assertThat(launchPass.rowsSeen()).isEqualTo(rows);
        assertThat(launchPass.started()).isEqualTo(rows);
        assertThat(passes).as("no pass but the launch pass").hasSize(1);
        assertThat(table.pagesRead()).isEqualTo((rows + JdbcTable.DEFAULT_PAGE_SIZE - 1) / JdbcTable.DEFAULT_PAGE_SIZE);
        await().atMost(WAIT).until(() -> runs.keysStarted() == rows);
        assertThat(supervisor.keys()).hasSize(rows);
        assertThat(runs.mostStartsOfAnyKey()).isEqualTo(1);
    }

    /**
     * Hundreds of processes that end at once, each deleting its own row through the table, as an
     * embedder's one-shot jobs do: every one runs once and retires, and the pool (8 connections)
     * serves the burst of deletes and confirming reads without stalling.
     */
    @Test
    void aBurstOfSelfRetiringProcessesAllRunOnceAndRetire() throws Exception {
        int rows = 500;
        AtomicReference<JdbcTable<String, Runner>> self = new AtomicReference<>();
        Set<String> ran = ConcurrentHashMap.newKeySet();
        AtomicInteger runsOfAny = new AtomicInteger();
        JdbcTable<String, Runner> table = closeAfter(JdbcTable.builder(db().database(), row -> (Runner) context -> {
            context.ready();
            runsOfAny.incrementAndGet();
            ran.add(row.key());
            self.get().remove(row.key());
        }).build());
        self.set(table);
        Supervisor<String, Runner> supervisor = closeAfter(Supervisor.builder(table).name("burst").build());
        supervisor.launch();

        insertMany("burst", rows);

        await().atMost(Waits.LOAD).until(() -> ran.size() == rows);
        await().atMost(WAIT).until(() -> supervisor.keys().isEmpty());
        assertThat(db().number("SELECT COUNT(*) FROM supervisor_processes")).isZero();
        assertThat(runsOfAny).as("no process ran twice").hasValue(rows);
    }

    /**
     * The same burst, each process retiring through {@link dev.supervisor.ProcessContext#retire()}:
     * the supervisor deletes the rows (many in one statement when they come together) and retires
     * each key without reading its row again; still every one runs exactly once.
     */
    @Test
    void aBurstOfProcessesRetiringThroughTheirContextAllRunOnceAndRetire() throws Exception {
        int rows = 500;
        Set<String> ran = ConcurrentHashMap.newKeySet();
        AtomicInteger runsOfAny = new AtomicInteger();
        JdbcTable<String, Runner> table = closeAfter(JdbcTable.builder(db().database(), row -> (Runner) context -> {
            context.ready();
            runsOfAny.incrementAndGet();
            ran.add(row.key());
            context.retire();
        }).build());
        Set<String> retiredKeys = ConcurrentHashMap.newKeySet();
        Supervisor<String, Runner> supervisor = closeAfter(Supervisor.builder(table).name("retire-burst")
                .listener(new dev.supervisor.SupervisorListener<>() {
                    @Override
                    public void retired(ProcessStatus<String> last) {
                        retiredKeys.add(last.key());
                    }
                }).build());
        supervisor.launch();

        insertMany("burst", rows);

        await().atMost(Waits.LOAD).until(() -> retiredKeys.size() == rows);
        assertThat(supervisor.keys()).isEmpty();
        assertThat(db().number("SELECT COUNT(*) FROM supervisor_processes")).isZero();
        assertThat(runsOfAny).as("no process ran twice").hasValue(rows);
        assertThat(ran).hasSize(rows);
    }

    /**
     * {@link JdbcTable#removeAll} does not signal the table's own subscribers (on PostgreSQL its
     * notifications are dropped as they arrive), but a row inserted again afterwards is signalled
     * (on H2 by its revision check, which sees the new revision).
     */
    @Test
    void removeAllIsNotEchoedToItsOwnSubscribersButAnInsertAfterItIs() {
        JdbcTable<String, Worker> table = table();
        java.util.List<String> signals = new java.util.concurrent.CopyOnWriteArrayList<>();
        closeAfter(table.subscribe(new dev.supervisor.ChangeListener<String>() {
            @Override
            public void rowChanged(String key) {
                signals.add(key);
            }

            @Override
            public void tableChanged() {
                signals.add("*");
            }
        })::close);
        boolean postgres = db().database().dialect() == dev.supervisor.jdbc.Dialect.POSTGRESQL;
        // both signals report "*" once they watch the table (PostgreSQL: after its LISTEN); a row
        // inserted earlier could go unnoticed by key
        await().atMost(WAIT).until(() -> signals.contains("*"));
        insert("gone", "run");
        // H2's first check reports "*" and may cover the insert; PostgreSQL notifies the insert by key
        await().atMost(WAIT).until(() -> signals.contains("gone") || !postgres && signals.contains("*"));
        int before = signals.size();
        table.removeAll(java.util.List.of("gone"));
        assertThat(db().number("SELECT COUNT(*) FROM supervisor_processes")).isZero();
        insert("gone", "run");
        await().atMost(WAIT).until(() -> signals.subList(before, signals.size()).contains("gone"));
        if (postgres) {
            // notifications arrive in commit order: the delete's own would have come before the insert's
            assertThat(signals.subList(before, signals.size())).as("the insert's notification alone")
                    .containsExactly("gone");
        }
    }

    /** The table without its change signal, so that only the launch pass reads it. */
    static <K, V> Table<K, V> withoutSignals(Table<K, V> table) {
        return new Table<>() {
            @Override
            public Optional<V> get(K key) {
                return table.get(key);
            }

            @Override
            public Cursor<K, V> cursor() {
                return table.cursor();
            }
        };
    }

    /**
     * Insert-to-running latency: the time from just before a plain-SQL INSERT (autocommit) until
     * the worker's run() begins, one row at a time. Printed, never asserted.
     */
    @Test
    void measuresInsertToRunningLatency() {
        int samples = Integer.getInteger("supervisor.latency.samples", 200);
        Supervisor<String, Worker> supervisor = launch(table());
        long[] nanos = new long[samples];
        try (Connection connection = db().plainConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO supervisor_processes (name, payload) VALUES (?, 'run')")) {
            for (int i = 0; i < samples; i++) {
                String key = "latency-" + i;
                insert.setString(1, key);
                long before = System.nanoTime();
                insert.executeUpdate();
                await().atMost(WAIT).pollInterval(Duration.ofMillis(1)).until(() -> runs.firstStartNanos(key) != null);
                nanos[i] = runs.firstStartNanos(key) - before;
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        Arrays.sort(nanos);
        System.out.printf("insert-to-running latency on %s over %d inserts: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                getClass().getSimpleName().replace("SupervisorTest", ""), samples, millis(nanos, 0.50),
                millis(nanos, 0.99), nanos[samples - 1] / 1e6);
        assertThat(supervisor.keys()).hasSize(samples);
    }

    private static double millis(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }
}
