package dev.supervisor;

import static dev.supervisor.Waiting.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Runners.FailsInstantly;
import dev.supervisor.Runners.RunsUntilStopped;
import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A row whose value cannot be decoded is {@link KeyState#INVALID} with its reason at once: on the
 * single-key check after a change signal as well as on a full pass; fixing the row starts the
 * key, deleting it forgets the key, and a running process keeps running.
 */
@Timeout(30)
class InvalidRowTest {
    private static final Duration INTERVAL = Duration.ofSeconds(60);

    private final InMemoryTable<String, Runner> table = new InMemoryTable<>();
    private final ManualClock clock = new ManualClock();
    private final List<ProcessStatus<String>> events = new CopyOnWriteArrayList<>();
    private final List<ProcessStatus<String>> retired = new CopyOnWriteArrayList<>();
    private final SupervisorListener<String> recorder = new SupervisorListener<>() {
        @Override
        public void statusChanged(ProcessStatus<String> status) {
            events.add(status);
        }

        @Override
        public void retired(ProcessStatus<String> last) {
            retired.add(last);
        }
    };
    private Supervisor<String, Runner> supervisor;

    private void launch(Table<String, Runner> source) {
        supervisor = Supervisor.builder(source).clock(clock).reconcileInterval(INTERVAL).listener(recorder).build();
        supervisor.launch();
    }

    @AfterEach
    void close() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    private Optional<KeyState> state(String key) {
        return supervisor.status(key).map(ProcessStatus::state);
    }

    private void awaitState(String key, KeyState state) {
        await().atMost(WAIT).until(() -> state(key).equals(Optional.of(state)));
    }

    @Test
    void undecodableRowInsertedAfterLaunchIsInvalidAtOnceWithItsReasonAndAnEvent() {
        launch(table);
        int cursorsAfterLaunch = table.cursorsOpened();

        table.putUndecodable("bad", new IllegalArgumentException("payload is not JSON"));

        awaitState("bad", KeyState.INVALID);
        assertThat(supervisor.status("bad").orElseThrow().invalidReason())
                .hasValueSatisfying(reason -> assertThat(reason).contains("payload is not JSON"));
        await().atMost(WAIT).until(() -> events.stream().anyMatch(s -> s.key().equals("bad") && s.state() == KeyState.INVALID
                && s.invalidReason().isPresent()));
        assertThat(table.cursorsOpened()).as("no full pass needed").isEqualTo(cursorsAfterLaunch);
        assertThat(supervisor.keys()).as("no process for an invalid row").isEmpty();
    }

    @Test
    void fixingAnInvalidRowStartsItAndDeletingOneForgetsIt() {
        launch(table);
        table.putUndecodable("bad", new IllegalArgumentException("payload is not JSON"));
        table.putUndecodable("worse", new IllegalArgumentException("no command"));
        awaitState("bad", KeyState.INVALID);
        awaitState("worse", KeyState.INVALID);

        table.put("bad", new RunsUntilStopped("fixed"));
        table.remove("worse");

        awaitState("bad", KeyState.RUNNING);
        assertThat(supervisor.status("bad").orElseThrow().invalidReason()).isEmpty();
        await().atMost(WAIT).until(() -> supervisor.status("worse").isEmpty());
        await().atMost(WAIT).until(() -> retired.stream().anyMatch(s -> s.key().equals("worse")));
    }

    @Test
    void aFullPassMarksAnUndecodableRowInvalidAndStartsTheOthers() {
        table.put("good", new RunsUntilStopped("good"))
                .putUndecodable("bad", new IllegalArgumentException("payload is not JSON"))
                .put("also-good", new RunsUntilStopped("also-good"));

        launch(table.signalling(false));

        awaitState("good", KeyState.RUNNING);
        awaitState("also-good", KeyState.RUNNING);
        awaitState("bad", KeyState.INVALID);
        assertThat(supervisor.lastPass().orElseThrow().skipped()).extracting(PassReport.SkippedRow::key).containsExactly("bad");
    }

    @Test
    void aRunningProcessWhoseRowBecomesUndecodableKeepsRunning() {
        RunsUntilStopped worker = new RunsUntilStopped("a");
        table.put("a", worker);
        launch(table);
        awaitState("a", KeyState.RUNNING);

        table.putUndecodable("a", new IllegalArgumentException("corrupted"));
        table.put("b", new RunsUntilStopped("b")); // a later signal: the check of "a" is done by then
        awaitState("b", KeyState.RUNNING);

        assertThat(state("a")).contains(KeyState.RUNNING);
        assertThat(worker.stopped.getCount()).isEqualTo(1);
        assertThat(events).noneMatch(s -> s.state() == KeyState.INVALID);
    }

    @Test
    void aKeyInBackoffWhoseRowBecomesUndecodableIsInvalidWhenItsRestartIsDue() throws Exception {
        table.put("a", new FailsInstantly());
        launch(table.signalling(false));
        awaitState("a", KeyState.BACKOFF);
        table.putUndecodable("a", new IllegalArgumentException("corrupted"));
        Duration delay = Duration.between(clock.now(), supervisor.status("a").orElseThrow().nextAttemptAt().orElseThrow());

        clock.advance(delay);

        awaitState("a", KeyState.INVALID);
        assertThat(supervisor.status("a").orElseThrow().invalidReason())
                .hasValueSatisfying(reason -> assertThat(reason).contains("corrupted"));
    }
}
