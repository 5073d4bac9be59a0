package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.KeyState;
import dev.supervisor.PassReport;
import dev.supervisor.ProcessContext;
import dev.supervisor.ProcessStatus;
import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.SupervisorListener;
import dev.supervisor.testing.ManualClock;
import dev.supervisor.testsupport.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A payload the table's decoder rejects, written by plain SQL on H2 as another program would: the
 * key is INVALID with the decoder's reason at the next check of the change signal (the periodic
 * pass is an hour away), the status table shows it with the reason in {@code last_error}, and an
 * UPDATE to a good payload starts it.
 */
@Timeout(60)
class H2InvalidRowTest {

    private static final Duration WAIT = Waits.DATABASE;

    private final H2Memory h2 = new H2Memory();
    private final ManualClock tableClock = new ManualClock();
    private final List<PassReport<?>> passes = new CopyOnWriteArrayList<>();
    private final List<ProcessStatus<String>> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        h2.close();
    }

    /** Payloads of the form {@code run:<anything>} run until stopped; anything else is rejected. */
    private static Runner decode(Row<String> row) {
        if (!row.payload().startsWith("run:")) {
            throw new IllegalArgumentException("the payload is not a command: " + row.payload());
        }
        return (ProcessContext context) -> {
            context.ready();
            context.awaitStop();
        };
    }

    private void check() throws Exception {
        tableClock.advance(JdbcTable.DEFAULT_POLL_INTERVAL);
        tableClock.awaitPendingTimers(1, WAIT);
    }

    private Optional<KeyState> state(Supervisor<String, Runner> supervisor, String key) {
        return supervisor.status(key).map(ProcessStatus::state);
    }

    @Test
    void anInsertedBadPayloadIsInvalidAtTheNextCheckAndAnUpdateToAGoodOneStartsIt() throws Exception {
        try (JdbcTable<String, Runner> table = JdbcTable.builder(h2.database, H2InvalidRowTest::decode)
                .clock(tableClock).withoutWakeups().build();
             StatusWriter<String> statusTable = StatusWriter.<String>builder(h2.database).build();
             Supervisor<String, Runner> supervisor = Supervisor.builder(table).reconcileInterval(Duration.ofHours(1))
                     .listener(statusTable)
                     .listener(new SupervisorListener<String>() {
                         @Override
                         public void statusChanged(ProcessStatus<String> status) {
                             events.add(status);
                         }

                         @Override
                         public void passCompleted(PassReport<String> report) {
                             passes.add(report);
                         }
                     }).build()) {
            supervisor.launch();
            tableClock.awaitPendingTimers(1, WAIT); // the signal's first check ran, reporting the whole table
            await().atMost(WAIT).until(() -> passes.size() == 2); // launch's pass, and the one for that first check

            h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('bad', 'not json'), ('good', 'run:x')");
            check();

            await().atMost(WAIT).until(() -> state(supervisor, "bad").equals(Optional.of(KeyState.INVALID)));
            assertThat(supervisor.status("bad").orElseThrow().invalidReason())
                    .hasValueSatisfying(reason -> assertThat(reason).contains("bad", "the payload is not a command: not json"));
            await().atMost(WAIT).until(() -> state(supervisor, "good").equals(Optional.of(KeyState.RUNNING)));
            await().atMost(WAIT).until(() -> events.stream().anyMatch(s -> s.key().equals("bad") && s.state() == KeyState.INVALID));
            await().atMost(WAIT).until(() -> h2.strings("SELECT state || ' ' || last_error FROM supervisor_status WHERE name = 'bad'"),
                    rows -> rows.size() == 1 && rows.get(0).startsWith("INVALID ") && rows.get(0).contains("not json"));

            h2.sql("UPDATE supervisor_processes SET payload = 'run:fixed' WHERE name = 'bad'");
            check();

            await().atMost(WAIT).until(() -> state(supervisor, "bad").equals(Optional.of(KeyState.RUNNING)));
            assertThat(passes).as("no pass beyond launch's and the first check's").hasSize(2);
        }
    }
}
