package dev.supervisor;

import static dev.supervisor.KeyState.BACKOFF;
import static dev.supervisor.KeyState.COMPLETED;
import static dev.supervisor.KeyState.RUNNING;
import static dev.supervisor.KeyState.STARTING;
import static dev.supervisor.KeyState.STOPPED;
import static dev.supervisor.KeyState.STOPPING;
import static dev.supervisor.PolicyDoubles.exact;
import static dev.supervisor.Waiting.WAIT;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static dev.supervisor.Waiting.waiting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervisor.PolicyDoubles.Rig;
import dev.supervisor.Runners.FailsInstantly;
import dev.supervisor.Runners.Puppet;
import dev.supervisor.Runners.ReturnsCleanly;
import dev.supervisor.Runners.RunsUntilStopped;
import dev.supervisor.Runners.Scripted;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Supervisor#restart}: a graceful stop and an immediate start, never a failure; all on a ManualClock. */
@Timeout(30)
class RestartTest {

    private static final RestartPolicy ONE_SECOND = exact(ofSeconds(1), ofMinutes(1));

    @Test
    void restartStopsGracefullyAndStartsAtOnceWithTheCurrentRow() {
        try (Rig rig = new Rig(builder -> builder.restartPolicy(ONE_SECOND).onRowUpdate(RowUpdates.IGNORE)).launch()) {
            RunsUntilStopped first = new RunsUntilStopped("first");
            rig.table.put("k", first);
            rig.awaitState("k", RUNNING, 1);
            RunsUntilStopped second = new RunsUntilStopped("second");
            rig.table.put("k", second); // updates ignored: only restart() picks the new row up

            assertThat(rig.supervisor.restart("k")).as("the process of the current row").isSameAs(second);

            assertThat(first.stopped.getCount()).as("the old process saw a graceful stop").isZero();
            ProcessStatus<String> status = rig.status("k");
            assertThat(status.state()).isEqualTo(RUNNING);
            assertThat(status.attempt()).as("attempt counting goes on").isEqualTo(2);
            ProcessExit exit = status.lastExit().orElseThrow();
            assertThat(exit.kind()).isEqualTo(ProcessExit.Kind.STOPPED);
            assertThat(exit.stopCause()).as("listeners see why").contains(StopCause.RESTART);
            waiting().untilAsserted(() -> assertThat(rig.listener.history("k")).containsExactly(STARTING, RUNNING, STOPPING, STOPPED, STARTING, RUNNING));
            assertThat(rig.supervisor.keys()).containsExactly("k");
        }
    }

    @Test
    void aRestartIsNotAFailureAndLeavesTheBackoffWhereItWas() {
        try (Rig rig = new Rig(ONE_SECOND).launch()) {
            Puppet puppet = new Puppet();
            rig.table.put("k", puppet);
            puppet.becomeReady();
            rig.awaitState("k", RUNNING, 1);
            puppet.fail(new Runners.Boom("first failure"));
            ProcessStatus<String> backoff = rig.awaitBackoff("k", 1);
            assertThat(Rig.backoffOf(backoff)).isEqualTo(ofSeconds(1));
            rig.advanceTo(backoff.nextAttemptAt().orElseThrow());
            puppet.becomeReady();
            rig.awaitState("k", RUNNING, 2);

            CompletableFuture<Runner> restart = CompletableFuture.supplyAsync(() -> rig.supervisor.restart("k"), Runners.THREADS);
            rig.awaitState("k", STOPPING, 2);
            puppet.exit(); // the graceful stop ends attempt 2
            puppet.becomeReady(); // attempt 3
            assertThat(restart.join()).isSameAs(puppet);
            assertThat(rig.status("k").attempt()).isEqualTo(3);

            puppet.fail(new Runners.Boom("second failure"));
            assertThat(Rig.backoffOf(rig.awaitBackoff("k", 3)))
                    .as("the second failure's backoff: the restart neither counted as a failure nor reset the sequence")
                    .isEqualTo(ofSeconds(2));
        }
    }

    @Test
    void restartWithoutAProcessStartsOneAndWithoutARowOrLaunchIsRefused() {
        Rig unlaunched = new Rig(ONE_SECOND);
        try (unlaunched) {
            unlaunched.table.put("k", new RunsUntilStopped());
            assertThatThrownBy(() -> unlaunched.supervisor.restart("k")).isInstanceOf(NotRunningException.class);
        }
        try (Rig rig = new Rig(ONE_SECOND.withMode(RestartMode.ON_FAILURE)).launch()) {
            assertThatThrownBy(() -> rig.supervisor.restart("nothing")).isInstanceOf(ProcessNotFoundException.class)
                    .hasMessageContaining("nothing");
            ReturnsCleanly once = new ReturnsCleanly();
            rig.table.put("done", once);
            rig.awaitState("done", COMPLETED, 1);
            rig.table.put("done", new Scripted(new ReturnsCleanly(), new RunsUntilStopped()));
            rig.supervisor.restart("done");
            assertThat(rig.status("done").state()).as("a completed key restarted").isEqualTo(RUNNING);
        }
    }

    @Test
    void restartOfAStartingProcessCancelsItAndStartsAgain() throws Exception {
        try (Rig rig = new Rig(ONE_SECOND).launch()) {
            Runners.BlocksInStartup blocked = new Runners.BlocksInStartup();
            rig.table.put("k", new Scripted(blocked, new RunsUntilStopped()));
            blocked.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS);

            rig.supervisor.restart("k");

            ProcessStatus<String> status = rig.status("k");
            assertThat(status.state()).isEqualTo(RUNNING);
            assertThat(status.lastExit().orElseThrow().kind()).isEqualTo(ProcessExit.Kind.CANCELLED);
            assertThat(status.lastExit().orElseThrow().stopCause()).contains(StopCause.RESTART);
            assertThat(rig.listener.history("k")).doesNotContain(BACKOFF);
        }
    }

    @Test
    void aRestartOvertakenByARowDeletionFailsAndTheKeyIsRetired() throws Exception {
        try (Rig rig = new Rig(ONE_SECOND).launch()) {
            Puppet puppet = new Puppet();
            rig.table.put("k", puppet);
            puppet.becomeReady();
            rig.awaitState("k", RUNNING, 1);
            CompletableFuture<Runner> restart = CompletableFuture.supplyAsync(() -> rig.supervisor.restart("k"), Runners.THREADS);
            rig.awaitState("k", STOPPING, 1);
            rig.table.remove("k");
            puppet.exit();

            assertThatThrownBy(restart::join).hasCauseInstanceOf(ProcessNotFoundException.class);
            Waiting.waiting().until(() -> rig.supervisor.status("k").isEmpty());
            assertThat(puppet.runs()).isEqualTo(1);
        }
    }
}
