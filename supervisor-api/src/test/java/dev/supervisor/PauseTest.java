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
import dev.supervisor.Runners.FailsInstantly;
import dev.supervisor.Runners.RunsUntilStopped;
import dev.supervisor.Runners.Scripted;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pause and resume: a paused row keeps its key and status and has no process; resuming starts it. */
@Timeout(30)
class PauseTest {

    private static final RestartPolicy ONE_SECOND = exact(ofSeconds(1), ofMinutes(1));

    @Test
    void pauseStopsTheProcessAndKeepsTheKeyUntilResumed() {
        try (Rig rig = new Rig(ONE_SECOND).launch()) {
            RunsUntilStopped runner = new RunsUntilStopped();
            rig.table.put("k", runner);
            rig.awaitState("k", RUNNING, 1);

            rig.supervisor.pause("k");

            assertThat(runner.stopped.getCount()).as("a graceful stop").isZero();
            ProcessStatus<String> paused = rig.status("k");
            assertThat(paused.state()).isEqualTo(PAUSED);
            assertThat(paused.lastExit().orElseThrow().stopCause()).contains(StopCause.PAUSED);
            assertThat(rig.table.isPaused("k")).as("written through the table").isTrue();
            assertThat(rig.supervisor.keys()).as("no process").isEmpty();
            int passes = rig.listener.passes().size();
            rig.supervisor.reconcileNow();
            waiting().until(() -> rig.listener.passes().size() > passes);
            assertThat(rig.status("k")).as("a pass leaves a paused key alone").isEqualTo(paused);
            assertThatThrownBy(() -> rig.supervisor.start("k")).isInstanceOf(SupervisorException.class)
                    .hasMessageContaining("paused");

            rig.supervisor.resume("k");

            rig.awaitState("k", RUNNING, 2);
            assertThat(rig.table.isPaused("k")).isFalse();
            waiting().untilAsserted(() -> assertThat(rig.listener.history("k"))
                    .containsExactly(STARTING, RUNNING, STOPPING, STOPPED, PAUSED, STARTING, RUNNING));
        }
    }

    @Test
    void theTableFlagAloneWrittenByAnotherProgramPausesAndResumes() {
        try (Rig rig = new Rig(ONE_SECOND).launch()) {
            rig.table.put("k", new RunsUntilStopped());
            rig.awaitState("k", RUNNING, 1);

            rig.table.setPaused("k", true);
            rig.awaitState("k", PAUSED, 1);
            rig.table.setPaused("k", false);
            rig.awaitState("k", RUNNING, 2);
        }
    }

    @Test
    void aKeyWaitingInBackoffIsPausedAndItsRestartDropped() {
        try (Rig rig = new Rig(ONE_SECOND).launch()) {
            rig.table.put("k", new Scripted(new FailsInstantly(), new RunsUntilStopped()));
            ProcessStatus<String> backoff = rig.awaitBackoff("k", 1);

            rig.supervisor.pause("k");
            assertThat(rig.status("k").state()).isEqualTo(PAUSED);
            assertThat(rig.status("k").nextAttemptAt()).isEmpty();
            rig.advanceTo(backoff.nextAttemptAt().orElseThrow().plusSeconds(10));
            assertThat(rig.status("k").state()).as("the restart timer was dropped").isEqualTo(PAUSED);

            rig.supervisor.resume("k");
            rig.awaitState("k", RUNNING, 2);
            waiting().untilAsserted(() -> assertThat(rig.listener.history("k")).containsExactly(STARTING, RUNNING, STOPPED, BACKOFF, PAUSED, STARTING, RUNNING));
        }
    }

    @Test
    void aRowPausedBeforeLaunchIsNeverStartedAndDeletingItRetiresTheKey() {
        Rig rig = new Rig(ONE_SECOND);
        try (rig) {
            RunsUntilStopped runner = new RunsUntilStopped();
            rig.table.put("k", runner);
            rig.supervisor.pause("k"); // before launch: only the flag is written
            rig.launch();

            ProcessStatus<String> status = rig.status("k");
            assertThat(status.state()).isEqualTo(PAUSED);
            assertThat(status.attempt()).isZero();
            assertThat(runner.runs()).isZero();

            rig.deleteRow("k");
            assertThat(runner.runs()).isZero();
        }
    }

    @Test
    void pausingOrResumingAKeyWithoutARowIsRefused() {
        try (Rig rig = new Rig(ONE_SECOND).launch()) {
            assertThatThrownBy(() -> rig.supervisor.pause("none")).isInstanceOf(ProcessNotFoundException.class);
            assertThatThrownBy(() -> rig.supervisor.resume("none")).isInstanceOf(ProcessNotFoundException.class);
        }
    }

    @Test
    void aRestartOfAKeyBeingPausedIsRefusedAndThePauseWins() throws Exception {
        try (Rig rig = new Rig(ONE_SECOND).launch()) {
            Runners.Puppet puppet = new Runners.Puppet();
            rig.table.put("k", puppet);
            puppet.becomeReady();
            rig.awaitState("k", RUNNING, 1);
            var pause = java.util.concurrent.CompletableFuture.runAsync(() -> rig.supervisor.pause("k"), Runners.THREADS);
            rig.awaitState("k", STOPPING, 1);

            assertThatThrownBy(() -> rig.supervisor.restart("k")).isInstanceOf(SupervisorException.class)
                    .hasMessageContaining("paused");
            puppet.exit();
            pause.join();
            assertThat(rig.status("k").state()).isEqualTo(PAUSED);
        }
    }
}
