package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.PassReport;
import dev.supervisor.ProcessContext;
import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.SupervisorListener;
import dev.supervisor.testing.ManualClock;
import dev.supervisor.testsupport.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rows written by plain SQL on H2, as another program would, between two checks of the table's
 * change signal, each check made by advancing the table's {@link ManualClock} (wakeups by the
 * trigger off, as for a writer in another JVM). The supervisor's periodic pass is an hour away and
 * no full pass may run after the one the first check asks for: each process reacts to its own
 * key's signal. Checked on the
 * shipped table and on a user's own table (a BIGINT key, no revision column) with the trigger.
 */
@Timeout(60)
class H2ExactChangesTest {

    private static final Duration WAIT = Waits.DATABASE;

    private final H2Memory h2 = new H2Memory();
    private final ManualClock tableClock = new ManualClock();
    private final Map<String, String> running = new ConcurrentHashMap<>();
    private final List<PassReport<?>> passes = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        h2.close();
    }

    /** Runs until stopped, visible in {@link #running} (key to payload) meanwhile. */
    private Runner worker(String key, String payload) {
        return (ProcessContext context) -> {
            running.put(key, payload);
            context.ready();
            try {
                context.awaitStop();
            } finally {
                running.remove(key, payload);
            }
        };
    }

    private <K> Supervisor<K, Runner> launch(JdbcTable<K, Runner> table) throws Exception {
        Supervisor<K, Runner> supervisor = Supervisor.builder(table).reconcileInterval(Duration.ofHours(1))
                .listener(new SupervisorListener<K>() {
                    @Override
                    public void passCompleted(PassReport<K> report) {
                        passes.add(report);
                    }
                }).build();
        supervisor.launch();
        tableClock.awaitPendingTimers(1, WAIT); // the signal's first check ran, reporting the whole table
        await().atMost(WAIT).until(() -> passes.size() == 2); // launch's pass, and the one for that first check
        return supervisor;
    }

    private void check() throws Exception {
        tableClock.advance(JdbcTable.DEFAULT_POLL_INTERVAL);
        tableClock.awaitPendingTimers(1, WAIT);
    }

    @Test
    void insertUpdateDeleteAndADeleteWithAnInsertBetweenTwoChecksReachTheProcessesByKey() throws Exception {
        h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('a', 'a1'), ('b', 'b1'), ('c', 'c1')");
        try (JdbcTable<String, Runner> table = JdbcTable.builder(h2.database, row -> worker(row.key(), row.payload()))
                .clock(tableClock).withoutWakeups().build();
             Supervisor<String, Runner> supervisor = launch(table)) {
            await().atMost(WAIT).until(() -> running.size() == 3);

            h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('d', 'd1')");
            check();
            await().atMost(WAIT).until(() -> "d1".equals(running.get("d")));

            h2.sql("UPDATE supervisor_processes SET payload = 'b2' WHERE name = 'b'");
            check();
            await().atMost(WAIT).until(() -> "b2".equals(running.get("b")));

            h2.sql("DELETE FROM supervisor_processes WHERE name = 'c'");
            check();
            await().atMost(WAIT).until(() -> !running.containsKey("c"));

            h2.sql("DELETE FROM supervisor_processes WHERE name = 'a'",
                    "INSERT INTO supervisor_processes (name, payload) VALUES ('e', 'e1')");
            check();
            await().atMost(WAIT).until(() -> !running.containsKey("a") && "e1".equals(running.get("e")));

            assertThat(running).containsOnlyKeys("b", "d", "e");
            assertThat(supervisor.keys()).containsExactlyInAnyOrder("b", "d", "e");
            assertThat(passes).as("no pass after the first check's: every change was handled by key").hasSize(2);
        }
    }

    @Test
    void aUsersOwnTableWithABigintKeyAndNoRevisionColumnIsWatchedExactlyThroughTheTrigger() throws Exception {
        h2.sql("CREATE TABLE jobs (job_id BIGINT PRIMARY KEY, spec VARCHAR NOT NULL)",
                "CREATE TRIGGER jobs_changes AFTER INSERT, UPDATE, DELETE ON jobs FOR EACH ROW CALL 'dev.supervisor.jdbc.H2ChangeTrigger'",
                "INSERT INTO jobs VALUES (1, 'one'), (2, 'two')");
        try (JdbcTable<Long, Runner> table = JdbcTable.builder(h2.database, KeyCodec.LONG,
                        (Row<Long> row) -> worker("job-" + row.key(), row.payload()))
                .table("jobs").keyColumn("job_id").payloadColumn("spec").withoutRevisionColumn()
                .clock(tableClock).withoutWakeups().build();
             Supervisor<Long, Runner> supervisor = launch(table)) {
            await().atMost(WAIT).until(() -> running.size() == 2);

            h2.sql("DELETE FROM jobs WHERE job_id = 1", "INSERT INTO jobs VALUES (3, 'three')");
            check();
            await().atMost(WAIT).until(() -> !running.containsKey("job-1") && running.containsKey("job-3"));

            assertThat(supervisor.keys()).containsExactlyInAnyOrder(2L, 3L);
            assertThat(passes).as("no pass after the first check's").hasSize(2);
        }
    }
}
