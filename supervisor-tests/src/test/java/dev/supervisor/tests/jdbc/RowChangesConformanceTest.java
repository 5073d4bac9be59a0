package dev.supervisor.tests.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.KeyState;
import dev.supervisor.ProcessExit;
import dev.supervisor.ProcessStatus;
import dev.supervisor.RowUpdates;
import dev.supervisor.StopCause;
import dev.supervisor.Supervisor;
import dev.supervisor.jdbc.JdbcTable;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Every change to a row reaches the processes, written by plain SQL on a connection of its own as
 * another program would: pause, resume, an UPDATE of the payload, a restart request; and {@link Supervisor#restart},
 * {@link Supervisor#pause} and {@link Supervisor#resume} through the shipped table. The periodic
 * pass is 10 minutes away, so only the table's change signal explains each reaction. One small
 * subclass per database supplies {@link #db()}.
 */
abstract class RowChangesConformanceTest extends SupervisorOnDatabase {

    @Test
    void settingThePausedColumnBySqlStopsTheProcessAndClearingItStartsItAgain() {
        insert("alpha", "run");
        Supervisor<String, Worker> supervisor = launch(table());
        await().atMost(WAIT).until(() -> running(supervisor, "alpha"));

        db().sql("UPDATE supervisor_processes SET paused = TRUE WHERE name = 'alpha'");

        await().atMost(WAIT).until(() -> state(supervisor, "alpha") == KeyState.PAUSED);
        assertThat(supervisor.keys()).isEmpty();
        assertThat(lastStopCause(supervisor, "alpha")).isEqualTo(StopCause.PAUSED);

        db().sql("UPDATE supervisor_processes SET paused = FALSE WHERE name = 'alpha'");

        await().atMost(WAIT).until(() -> running(supervisor, "alpha") && runs.starts("alpha") == 2);
        assertThat(runs.mostAtOnceOfAnyKey()).isEqualTo(1);
    }

    @Test
    void aRowInsertedPausedIsNeverStarted() {
        Supervisor<String, Worker> supervisor = launch(table());
        db().sql("INSERT INTO supervisor_processes (name, payload, paused) VALUES ('held', 'run', TRUE)");
        await().atMost(WAIT).until(() -> state(supervisor, "held") == KeyState.PAUSED);
        assertThat(runs.starts("held")).isZero();
        db().sql("DELETE FROM supervisor_processes WHERE name = 'held'");
        await().atMost(WAIT).until(() -> retired.contains("held"));
        assertThat(runs.starts("held")).isZero();
    }

    @Test
    void pauseAndResumeWriteThePausedColumn() {
        insert("alpha", "run");
        Supervisor<String, Worker> supervisor = launch(table());
        await().atMost(WAIT).until(() -> running(supervisor, "alpha"));
        String revision = "SELECT revision FROM supervisor_processes WHERE name = 'alpha'";
        long before = db().number(revision);
        supervisor.resume("alpha");
        assertThat(db().number(revision)).as("resuming a running row writes nothing, so it is not restarted").isEqualTo(before);

        supervisor.pause("alpha");

        assertThat(state(supervisor, "alpha")).isEqualTo(KeyState.PAUSED);
        assertThat(db().number("SELECT COUNT(*) FROM supervisor_processes WHERE name = 'alpha' AND paused")).isOne();

        supervisor.resume("alpha");

        assertThat(db().number("SELECT COUNT(*) FROM supervisor_processes WHERE name = 'alpha' AND NOT paused")).isOne();
        await().atMost(WAIT).until(() -> running(supervisor, "alpha") && runs.starts("alpha") == 2);
    }

    @Test
    void anUpdateOfThePayloadBySqlRestartsTheProcessWithTheNewValue() {
        insert("alpha", "run");
        Supervisor<String, Worker> supervisor = launch(table());
        await().atMost(WAIT).until(() -> running(supervisor, "alpha"));

        db().sql("UPDATE supervisor_processes SET payload = 'run-v2' WHERE name = 'alpha'");

        await().atMost(WAIT).until(() -> running(supervisor, "alpha") && supervisor.get("alpha").payload().equals("run-v2"));
        assertThat(runs.starts("alpha")).isEqualTo(2);
        assertThat(runs.mostAtOnceOfAnyKey()).as("one process per key throughout").isEqualTo(1);
        assertThat(lastStopCause(supervisor, "alpha")).isEqualTo(StopCause.ROW_UPDATED);
        assertThat(supervisor.status("alpha").orElseThrow().attempt()).isEqualTo(2);
    }

    @Test
    void restartStartsANewProcessWithTheCurrentRow() {
        insert("alpha", "run");
        Supervisor<String, Worker> supervisor = launch(table());
        await().atMost(WAIT).until(() -> running(supervisor, "alpha"));

        Worker restarted = supervisor.restart("alpha");

        assertThat(restarted.payload()).isEqualTo("run");
        assertThat(running(supervisor, "alpha")).isTrue();
        assertThat(runs.starts("alpha")).isEqualTo(2);
        assertThat(lastStopCause(supervisor, "alpha")).isEqualTo(StopCause.RESTART);
    }

    @Test
    void aRestartRequestBySqlRestartsTheProcessEvenWhenUpdatesAreIgnored() {
        insert("alpha", "run");
        JdbcTable<String, Worker> table = table();
        Supervisor<String, Worker> supervisor = closeAfter(Supervisor.builder(table).reconcileInterval(NO_PERIODIC_PASS)
                .restartPolicy(QUICK_RESTARTS).stopTimeout(Duration.ofSeconds(5)).onRowUpdate(RowUpdates.IGNORE).build());
        supervisor.launch();
        await().atMost(WAIT).until(() -> running(supervisor, "alpha"));

        db().sql("UPDATE supervisor_processes SET restart_requests = restart_requests + 1 WHERE name = 'alpha'");

        await().atMost(WAIT).until(() -> running(supervisor, "alpha") && runs.starts("alpha") == 2);
        assertThat(lastStopCause(supervisor, "alpha")).as("a restart, not an update").isEqualTo(StopCause.RESTART);
        assertThat(supervisor.status("alpha").orElseThrow().attempt()).isEqualTo(2);
        assertThat(runs.mostAtOnceOfAnyKey()).as("one process per key throughout").isEqualTo(1);
    }

    @Test
    void requestRestartBumpsTheCounterAndTheSupervisorRestartsTheProcess() {
        insert("alpha", "run");
        JdbcTable<String, Worker> table = table();
        Supervisor<String, Worker> supervisor = launch(table);
        await().atMost(WAIT).until(() -> running(supervisor, "alpha"));

        assertThat(table.requestRestart("alpha")).isTrue();
        assertThat(table.requestRestart("missing")).as("no row").isFalse();

        assertThat(db().number("SELECT restart_requests FROM supervisor_processes WHERE name = 'alpha'")).isOne();
        await().atMost(WAIT).until(() -> running(supervisor, "alpha") && runs.starts("alpha") == 2);
        assertThat(lastStopCause(supervisor, "alpha")).isEqualTo(StopCause.RESTART);
    }

    private static KeyState state(Supervisor<String, Worker> supervisor, String key) {
        return supervisor.status(key).map(ProcessStatus::state).orElse(null);
    }

    private static StopCause lastStopCause(Supervisor<String, Worker> supervisor, String key) {
        return supervisor.status(key).flatMap(ProcessStatus::lastExit).flatMap(ProcessExit::stopCause).orElse(null);
    }
}
