package dev.supervisor;

import static dev.supervisor.KeyState.BACKOFF;
import static dev.supervisor.KeyState.GIVEN_UP;
import static dev.supervisor.KeyState.RUNNING;
import static dev.supervisor.KeyState.STARTING;
import static dev.supervisor.KeyState.STOPPED;
import static dev.supervisor.PolicyDoubles.exact;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static dev.supervisor.Waiting.waiting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervisor.PolicyDoubles.Rig;
import dev.supervisor.Runners.FailsAfter;
import dev.supervisor.Runners.FailsBeforeReady;
import dev.supervisor.Runners.FailsInstantly;
import dev.supervisor.Runners.RunsUntilStopped;
import dev.supervisor.Runners.Scripted;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** devrig's startup budget: N failures in a row, each within a grace of its start, give up; on a ManualClock. */
@Timeout(30)
class StartupBudgetTest {

    private static final RestartPolicy BUDGET = exact(ofSeconds(1), ofMinutes(1)).withStartupBudget(3, ofSeconds(2));

    @Test
    void threeFailuresInARowWithinTheGraceGiveUp() {
        try (Rig rig = new Rig(BUDGET).launch()) {
            FailsInstantly runner = new FailsInstantly();
            rig.table.put("k", runner);
            rig.advanceTo(rig.awaitBackoff("k", 1).nextAttemptAt().orElseThrow());
            rig.advanceTo(rig.awaitBackoff("k", 2).nextAttemptAt().orElseThrow());

            rig.awaitState("k", GIVEN_UP, 3);

            assertThat(runner.runs()).isEqualTo(3);
            waiting().untilAsserted(() -> assertThat(rig.listener.history("k")).containsExactly(STARTING, RUNNING, STOPPED, BACKOFF, STARTING, RUNNING,
                    STOPPED, BACKOFF, STARTING, RUNNING, STOPPED, GIVEN_UP));
        }
    }

    @Test
    void failedStartsCountAndResetStartsABudgetAfresh() {
        try (Rig rig = new Rig(BUDGET).launch()) {
            rig.table.put("k", new Scripted(new FailsBeforeReady(), new FailsBeforeReady(), new FailsBeforeReady(),
                    new RunsUntilStopped()));
            rig.advanceTo(rig.awaitBackoff("k", 1).nextAttemptAt().orElseThrow());
            rig.advanceTo(rig.awaitBackoff("k", 2).nextAttemptAt().orElseThrow());
            rig.awaitState("k", GIVEN_UP, 3);

            rig.supervisor.reset("k");
            rig.awaitState("k", RUNNING, 4);
        }
    }

    @Test
    void aFailureAfterTheGraceStartsTheCountAgain() {
        try (Rig rig = new Rig(BUDGET).launch()) {
            rig.table.put("k", new Scripted(new FailsInstantly(), new FailsInstantly(), new FailsAfter(ofSeconds(3)),
                    new FailsInstantly(), new FailsInstantly(), new RunsUntilStopped()));
            rig.advanceTo(rig.awaitBackoff("k", 1).nextAttemptAt().orElseThrow());
            rig.advanceTo(rig.awaitBackoff("k", 2).nextAttemptAt().orElseThrow());
            rig.awaitState("k", RUNNING, 3);
            rig.awaitTimerAt(rig.clock.now().plusSeconds(3)); // attempt 3 waits out its run on the clock
            rig.clock.advance(ofSeconds(3)); // it fails after the grace: not a startup failure
            rig.advanceTo(rig.awaitBackoff("k", 3).nextAttemptAt().orElseThrow());
            rig.advanceTo(rig.awaitBackoff("k", 4).nextAttemptAt().orElseThrow());
            rig.advanceTo(rig.awaitBackoff("k", 5).nextAttemptAt().orElseThrow());

            rig.awaitState("k", RUNNING, 6);
            assertThat(rig.listener.history("k")).doesNotContain(GIVEN_UP);
        }
    }

    @Test
    void theBudgetIsValidatedAndKeptByTheOtherWithers() {
        assertThatThrownBy(() -> RestartPolicy.DEFAULT.withStartupBudget(0, ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startup failures");
        assertThatThrownBy(() -> RestartPolicy.DEFAULT.withStartupBudget(3, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startupGrace");
        RestartPolicy derived = BUDGET.withMode(RestartMode.ON_FAILURE).withBackoff(ofSeconds(2), ofSeconds(4))
                .withJitter(0.1).withMultiplier(3).withResetAfter(ofSeconds(9)).withGiveUp(5, ofMinutes(1)).withoutGiveUp();
        assertThat(derived.startupFailures()).isEqualTo(3);
        assertThat(derived.startupGrace()).isEqualTo(ofSeconds(2));
        assertThat(derived.withoutStartupBudget().startupFailures()).isZero();
        assertThat(RestartPolicy.DEFAULT.startupFailures()).as("off by default").isZero();
    }
}
