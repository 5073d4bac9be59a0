package dev.supervisor;

import static dev.supervisor.KeyState.RUNNING;
import static dev.supervisor.KeyState.STARTING;
import static dev.supervisor.PolicyDoubles.exact;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.PolicyDoubles.Rig;
import dev.supervisor.Runners.BlocksInStartup;
import dev.supervisor.Runners.Boom;
import dev.supervisor.Runners.FailsAfter;
import dev.supervisor.Runners.FailsBeforeReady;
import dev.supervisor.Runners.FailsInstantly;
import dev.supervisor.Runners.Handover;
import dev.supervisor.Runners.ReturnsCleanly;
import dev.supervisor.Runners.RunsUntilStopped;
import dev.supervisor.Runners.Scripted;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What {@link ProcessContext} hands a process: its key, its attempt number and how the previous attempt ended. */
@Timeout(30)
class HandoverTest {

    private static final RestartPolicy ONE_SECOND = exact(ofSeconds(1), ofMinutes(1));

    @Test
    void eachAttemptKnowsItsKeyItsNumberAndHowThePreviousOneEnded() {
        try (Rig rig = new Rig(ONE_SECOND).launch()) {
            Scripted runner = new Scripted(new FailsInstantly(), new FailsBeforeReady(), new FailsAfter(ofSeconds(30)),
                    new ReturnsCleanly(), new RunsUntilStopped());
            rig.table.put("k", runner);

            rig.backoffs("k", 1, 2);
            ProcessStatus<String> third = rig.awaitState("k", RUNNING, 3);
            Instant thirdEnds = third.runningSince().orElseThrow().plusSeconds(30);
            rig.awaitTimerAt(thirdEnds);
            rig.advanceTo(thirdEnds);
            rig.backoffs("k", 3, 4);
            ProcessStatus<String> fifth = rig.awaitState("k", RUNNING, 5);

            List<Handover> handovers = runner.handovers();
            assertThat(handovers).extracting(Handover::key).containsOnly("k");
            assertThat(handovers).extracting(Handover::attempt).containsExactly(1, 2, 3, 4, 5);
            assertThat(handovers).extracting(Handover::epoch).containsOnly(0L);
            assertThat(handovers.get(0).previousExit()).isEmpty();
            assertPrevious(handovers.get(1), ProcessExit.Kind.FAILED, 1, Duration.ZERO);
            assertThat(handovers.get(1).previousExit().orElseThrow().error()).get().isInstanceOf(Boom.class)
                    .extracting(Throwable::getMessage).isEqualTo("attempt 1 failed");
            assertPrevious(handovers.get(2), ProcessExit.Kind.START_FAILED, 2, Duration.ZERO);
            assertPrevious(handovers.get(3), ProcessExit.Kind.FAILED, 3, ofSeconds(30));
            assertThat(handovers.get(3).previousExit().orElseThrow().at()).isEqualTo(thirdEnds);
            assertPrevious(handovers.get(4), ProcessExit.Kind.SUCCEEDED, 4, Duration.ZERO);
            assertThat(handovers.get(4).previousExit()).as("the handover is the status's last exit").isEqualTo(fifth.lastExit());
        }
    }

    @Test
    void anAttemptAfterAStopIsToldWhetherItsPredecessorWasCancelledOrStopped() {
        try (Rig rig = new Rig(ONE_SECOND).launch()) {
            Scripted runner = new Scripted(new BlocksInStartup(), new RunsUntilStopped());
            rig.table.put("k", runner);
            rig.awaitState("k", STARTING, 1);

            rig.supervisor.stop("k");
            rig.supervisor.reconcileNow();
            rig.awaitState("k", RUNNING, 2);
            rig.clock.advance(ofSeconds(7));
            rig.restartByPass("k", 3);

            List<Handover> handovers = runner.handovers();
            assertPrevious(handovers.get(1), ProcessExit.Kind.CANCELLED, 1, Duration.ZERO);
            assertPrevious(handovers.get(2), ProcessExit.Kind.STOPPED, 2, ofSeconds(7));
        }
    }

    @Test
    void aStartTimeoutIsHandedOverAsAFailedStart() {
        Duration startTimeout = ofSeconds(3);
        try (Rig rig = new Rig(b -> b.restartPolicy(ONE_SECOND).startTimeout(startTimeout)).launch()) {
            Scripted runner = new Scripted(new BlocksInStartup(), new RunsUntilStopped());
            rig.table.put("k", runner);
            Instant deadline = rig.awaitState("k", STARTING, 1).startedAt().orElseThrow().plus(startTimeout);
            rig.awaitTimerAt(deadline);
            rig.advanceTo(deadline);

            rig.advanceTo(rig.awaitBackoff("k", 1).nextAttemptAt().orElseThrow());
            rig.awaitState("k", RUNNING, 2);

            Handover second = runner.handovers().get(1);
            assertPrevious(second, ProcessExit.Kind.START_FAILED, 1, Duration.ZERO);
            assertThat(second.previousExit().orElseThrow().error()).get().isInstanceOf(ProcessStartException.class);
        }
    }

    @Test
    void aRowDeletedAndInsertedAgainStartsOverAtAttemptOneWithNoPreviousExit() {
        try (Rig rig = new Rig(ONE_SECOND).launch()) {
            RunsUntilStopped runner = new RunsUntilStopped();
            rig.table.put("k", runner);
            rig.awaitState("k", RUNNING, 1);
            rig.restartByPass("k", 2);

            rig.deleteRow("k");
            rig.table.put("k", runner);
            rig.awaitState("k", RUNNING, 1);

            assertThat(runner.handovers()).extracting(Handover::attempt).containsExactly(1, 2, 1);
            assertThat(runner.handovers().get(2).previousExit()).isEmpty();
        }
    }

    private static void assertPrevious(Handover handover, ProcessExit.Kind kind, int attempt, Duration ran) {
        Optional<ProcessExit> previous = handover.previousExit();
        assertThat(previous).as("previous exit of attempt %d", handover.attempt()).isPresent();
        assertThat(previous.get().kind()).isEqualTo(kind);
        assertThat(previous.get().attempt()).isEqualTo(attempt);
        assertThat(previous.get().ran()).isEqualTo(ran);
    }
}
