package dev.supervisor;

import static dev.supervisor.KeyState.BACKOFF;
import static dev.supervisor.KeyState.PAUSED;
import static dev.supervisor.KeyState.RUNNING;
import static dev.supervisor.KeyState.STARTING;
import static dev.supervisor.KeyState.STOPPED;
import static dev.supervisor.KeyState.STOPPING;
import static dev.supervisor.PolicyDoubles.exact;
import static dev.supervisor.Waiting.waiting;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervisor.PolicyDoubles.Rig;
import dev.supervisor.Runners.Puppet;
import dev.supervisor.Runners.RunsUntilStopped;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Restarts requested through the table ({@link Table#requestRestart}), as another process or a node
 * that does not run the key asks for them: the supervisor running the key restarts it like
 * {@link Supervisor#restart} (graceful stop, immediate start, not a failure, backoff untouched),
 * whatever {@link RowUpdates} says. All on a ManualClock.
 */
@Timeout(30)
class RestartRequestTest {

    private static final RestartPolicy ONE_SECOND = exact(ofSeconds(1), ofMinutes(1));

    @Test
    void aRequestRestartsTheRunningProcessEvenWhenUpdatesAreIgnored() {
        try (Rig rig = new Rig(builder -> builder.restartPolicy(ONE_SECOND).onRowUpdate(RowUpdates.IGNORE)).launch()) {
            RunsUntilStopped first = new RunsUntilStopped("first");
            rig.table.put("k", first);
            rig.awaitState("k", RUNNING, 1);
            RunsUntilStopped second = new RunsUntilStopped("second");
            rig.table.put("k", second); // ignored as an update; the restart starts the current row

            assertThat(rig.table.requestRestart("k")).isTrue();

            ProcessStatus<String> status = rig.awaitState("k", RUNNING, 2);
            assertThat(first.stopped.getCount()).as("the old process saw a graceful stop").isZero();
            assertThat(rig.supervisor.get("k")).as("the process of the current row").isSameAs(second);
            ProcessExit exit = status.lastExit().orElseThrow();
            assertThat(exit.kind()).isEqualTo(ProcessExit.Kind.STOPPED);
            assertThat(exit.stopCause()).as("a restart, not an update").contains(StopCause.RESTART);
            waiting().untilAsserted(() -> assertThat(rig.listener.history("k"))
                    .containsExactly(STARTING, RUNNING, STOPPING, STOPPED, STARTING, RUNNING));
        }
    }

    @Test
    void aRequestIsNotAFailureAndLeavesTheBackoffWhereItWas() {
        try (Rig rig = new Rig(ONE_SECOND).launch()) {
            Puppet puppet = new Puppet();
            rig.table.put("k", puppet);
            puppet.becomeReady();
            rig.awaitState("k", RUNNING, 1);
            puppet.fail(new Runners.Boom("first failure"));
            ProcessStatus<String> backoff = rig.awaitBackoff("k", 1);
            rig.advanceTo(backoff.nextAttemptAt().orElseThrow());
            puppet.becomeReady();
            rig.awaitState("k", RUNNING, 2);

            rig.table.requestRestart("k");
            rig.awaitState("k", STOPPING, 2);
            puppet.exit(); // the graceful stop ends attempt 2
            puppet.becomeReady();
            rig.awaitState("k", RUNNING, 3);

            puppet.fail(new Runners.Boom("second failure"));
            assertThat(Rig.backoffOf(rig.awaitBackoff("k", 3)))
                    .as("the second failure's backoff: the request neither counted as a failure nor reset the sequence")
                    .isEqualTo(ofSeconds(2));
        }
    }

    @Test
    void aRequestStartsAKeyWaitingInBackoffAtOnce() {
        try (Rig rig = new Rig(exact(ofMinutes(5), ofMinutes(10))).launch()) {
            rig.table.put("k", new Runners.Scripted(new Runners.FailsInstantly(), new RunsUntilStopped()));
            Instant due = rig.awaitBackoff("k", 1).nextAttemptAt().orElseThrow();

            rig.table.requestRestart("k");

            ProcessStatus<String> status = rig.awaitState("k", RUNNING, 2);
            assertThat(status.nextAttemptAt()).as("the pending restart is cancelled").isEmpty();
            assertThat(rig.clock.pendingTimerDues()).as("the restart timer is cancelled").doesNotContain(due);
        }
    }

    @Test
    void aFullPassFindsARequestThatWasNotSignalled() {
        try (Rig rig = new Rig(ONE_SECOND).launch()) {
            rig.table.put("k", new RunsUntilStopped());
            rig.awaitState("k", RUNNING, 1);
            rig.table.signalling(false);

            rig.table.requestRestart("k");
            rig.supervisor.reconcileNow();

            assertThat(rig.awaitState("k", RUNNING, 2).lastExit().orElseThrow().stopCause()).contains(StopCause.RESTART);
        }
    }

    @Test
    void aPausedRowIsNotRestartedAndAnOldRequestDoesNotRestartItOnceResumed() {
        try (Rig rig = new Rig(ONE_SECOND).launch()) {
            rig.table.put("k", new RunsUntilStopped());
            rig.awaitState("k", RUNNING, 1);
            rig.supervisor.pause("k");
            rig.awaitState("k", PAUSED, 1);

            rig.table.requestRestart("k");
            fullPass(rig);
            assertThat(rig.status("k").state()).isEqualTo(PAUSED);

            rig.supervisor.resume("k");
            rig.awaitState("k", RUNNING, 2);
            fullPass(rig);
            assertThat(rig.status("k").attempt()).as("the request made while paused was served by the resume").isEqualTo(2);
            assertThat(rig.listener.history("k")).doesNotContain(BACKOFF);
        }
    }

    @Test
    void restartOnANodeThatDoesNotRunTheKeyGoesThroughTheTable() {
        try (Rig runs = new Rig(ONE_SECOND)) {
            // two supervisors of one table: "runs" owns every key, "elsewhere" none
            Supervisor<String, Runner> elsewhere = Supervisor.builder(runs.table).clock(runs.clock).ownership(NOTHING).build();
            try (elsewhere) {
                runs.launch();
                elsewhere.launch();
                runs.table.put("k", new RunsUntilStopped());
                runs.awaitState("k", RUNNING, 1);

                assertThat(elsewhere.restart("k")).as("nothing to observe on this node").isNull();

                ProcessStatus<String> status = runs.awaitState("k", RUNNING, 2);
                assertThat(status.lastExit().orElseThrow().stopCause()).contains(StopCause.RESTART);
                assertThat(elsewhere.keys()).isEmpty();
                assertThatThrownBy(() -> elsewhere.restart("missing")).isInstanceOf(ProcessNotFoundException.class)
                        .hasMessageContaining("missing");
            }
        }
    }

    @Test
    void withoutRestartRequestsInTheTableARestartOfAnotherNodesKeyIsRefusedAsBefore() {
        try (Rig rig = new Rig(ONE_SECOND)) {
            Table<String, Runner> plain = new Table<>() {
                @Override
                public Optional<Runner> get(String key) {
                    return rig.table.get(key);
                }

                @Override
                public Cursor<String, Runner> cursor() {
                    return rig.table.cursor();
                }
            };
            rig.table.put("k", new RunsUntilStopped());
            Supervisor<String, Runner> elsewhere = Supervisor.builder(plain).clock(rig.clock).ownership(NOTHING).build();
            try (elsewhere) {
                elsewhere.launch();
                assertThatThrownBy(() -> elsewhere.restart("k")).isInstanceOf(SupervisorException.class)
                        .hasMessageContaining("owned by another node");
            }
        }
    }

    /** Asks for a full pass and waits until one ended after the request. */
    private static void fullPass(Rig rig) {
        PassReport<String> before = rig.supervisor.lastPass().orElse(null);
        rig.supervisor.reconcileNow();
        waiting().until(() -> rig.supervisor.lastPass().orElse(null) != before);
    }

    /** An ownership that gives this node no key. */
    private static final Ownership<String> NOTHING = new Ownership<>() {
        @Override
        public void open(Control<String> control) {
        }

        @Override
        public OptionalLong tryAcquire(String key) {
            return OptionalLong.empty();
        }
    };
}
