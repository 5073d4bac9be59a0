package dev.supervisor;

import static dev.supervisor.PolicyDoubles.SEED;
import static dev.supervisor.PolicyDoubles.exact;
import static dev.supervisor.Waiting.waiting;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.PolicyDoubles.Rig;
import dev.supervisor.Runners.FailsAfter;
import dev.supervisor.Runners.FailsInstantly;
import dev.supervisor.Runners.ReturnsAfter;
import dev.supervisor.Runners.ReturnsCleanly;
import dev.supervisor.Runners.RunsUntilStopped;
import dev.supervisor.Runners.Scripted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The backoff schedule: exact without jitter, reproducible with seeded jitter, capped, reset after a stable run, never a hot loop. */
@Timeout(30)
class BackoffScheduleTest {

    @Test
    void withoutJitterTheDelaysDoubleFromTheInitialDelayUpToTheCap() {
        try (Rig rig = new Rig(RestartPolicy.DEFAULT.withJitter(0)).launch()) {
            rig.table.put("k", new FailsInstantly());

            assertThat(rig.backoffs("k", 1, 9)).containsExactly(ofMillis(500), ofSeconds(1), ofSeconds(2), ofSeconds(4),
                    ofSeconds(8), ofSeconds(16), ofSeconds(30), ofSeconds(30), ofSeconds(30));
        }
    }

    @Test
    void seededJitterGivesTheDelaysOfThePolicyAppliedToTheSameRandomSequence() {
        RestartPolicy policy = RestartPolicy.DEFAULT;
        try (Rig rig = new Rig(policy).launch()) {
            rig.table.put("k", new FailsInstantly());

            List<Duration> seen = rig.backoffs("k", 1, 10);

            Random sameSequence = new Random(SEED);
            List<Duration> expected = new ArrayList<>();
            for (int n = 1; n <= 10; n++) {
                expected.add(policy.delay(n, sameSequence.nextDouble()));
            }
            assertThat(seen).containsExactlyElementsOf(expected);
            for (int n = 1; n <= 10; n++) {
                double base = Math.min(500.0 * Math.pow(2, n - 1), 30_000.0);
                assertThat(seen.get(n - 1).toNanos() / 1e6).as("delay %d", n).isBetween(base * 0.8, base * 1.2);
            }
            assertThat(seen).as("jitter makes the delays differ from the exact schedule").doesNotContain(ofMillis(500), ofSeconds(1));
        }
    }

    @Test
    void theRestartWaitsForItsTimerAndHappensWhenItFalls() {
        try (Rig rig = new Rig(exact(ofSeconds(10), ofSeconds(60))).launch()) {
            FailsInstantly runner = new FailsInstantly();
            rig.table.put("k", runner);
            ProcessStatus<String> backoff = rig.awaitBackoff("k", 1);
            Instant due = backoff.nextAttemptAt().orElseThrow();
            assertThat(due).isEqualTo(rig.clock.now().plusSeconds(10));

            rig.clock.advance(ofSeconds(10).minusNanos(1));
            assertThat(rig.status("k").state()).isEqualTo(KeyState.BACKOFF);
            assertThat(runner.runs()).isEqualTo(1);

            rig.clock.advance(Duration.ofNanos(1));
            rig.awaitBackoff("k", 2);
            assertThat(runner.runs()).isEqualTo(2);
            assertThat(rig.status("k").startedAt()).contains(due);
        }
    }

    @Test
    void aPassOrAChangeSignalNeverStartsAKeyEarlyWhileItsBackoffIsPending() {
        try (Rig rig = new Rig(exact(ofSeconds(10), ofSeconds(60))).launch()) {
            FailsInstantly runner = new FailsInstantly();
            rig.table.put("k", runner);
            ProcessStatus<String> backoff = rig.awaitBackoff("k", 1);
            int passes = rig.listener.passes().size();

            rig.table.put("k", runner); // a change signal for k
            rig.supervisor.reconcileNow();
            waiting().until(() -> rig.listener.passes().size() > passes);

            assertThat(rig.status("k")).isEqualTo(backoff);
            assertThat(runner.runs()).isEqualTo(1);
            assertThat(rig.supervisor.keys()).isEmpty();
        }
    }

    @Test
    void aRunOfAtLeastResetAfterStartsTheScheduleAgainAtTheInitialDelay() {
        RestartPolicy policy = exact(ofSeconds(1), ofSeconds(60)).withResetAfter(ofSeconds(60));
        FailsInstantly instantly = new FailsInstantly();
        try (Rig rig = new Rig(policy).launch()) {
            // attempts 1-3 fail at once, 4 runs 60 s (stable), 5 fails at once, 6 runs 59 s (not stable), 7 fails at once
            rig.table.put("k", new Scripted(instantly, instantly, instantly, new FailsAfter(ofSeconds(60)), instantly,
                    new FailsAfter(ofSeconds(59)), instantly));

            assertThat(rig.backoffs("k", 1, 3)).containsExactly(ofSeconds(1), ofSeconds(2), ofSeconds(4));
            runFor(rig, 4, ofSeconds(60));
            assertThat(rig.backoffs("k", 4, 5)).as("after the stable run").containsExactly(ofSeconds(1), ofSeconds(2));
            runFor(rig, 6, ofSeconds(59));
            assertThat(Rig.backoffOf(rig.awaitBackoff("k", 6))).as("after a run shorter than resetAfter").isEqualTo(ofSeconds(4));
        }
    }

    @Test
    void aStableRunResetsTheScheduleAfterACleanExitToo() {
        RestartPolicy policy = exact(ofSeconds(1), ofSeconds(60)).withResetAfter(ofSeconds(60));
        ReturnsCleanly cleanly = new ReturnsCleanly();
        try (Rig rig = new Rig(policy).launch()) {
            rig.table.put("k", new Scripted(cleanly, cleanly, new ReturnsAfter(ofSeconds(60)), cleanly));

            assertThat(rig.backoffs("k", 1, 2)).containsExactly(ofSeconds(1), ofSeconds(2));
            runFor(rig, 3, ofSeconds(60));
            assertThat(Rig.backoffOf(rig.awaitBackoff("k", 3))).isEqualTo(ofSeconds(1));
        }
    }

    @Test
    void aStopAskedForIsNeverFollowedByABackoff() {
        try (Rig rig = new Rig(exact(ofSeconds(1), ofSeconds(60))).launch()) {
            rig.table.put("k", new RunsUntilStopped());
            rig.awaitState("k", KeyState.RUNNING, 1);

            rig.supervisor.stop("k");

            assertThat(rig.status("k").state()).isEqualTo(KeyState.STOPPED);
            assertThat(rig.status("k").nextAttemptAt()).isEmpty();
            assertThat(rig.listener.history("k")).doesNotContain(KeyState.BACKOFF);
        }
    }

    /**
     * A process that fails the instant it starts, supervised for one hour of clock time, is
     * started exactly as often as the (seeded, jittered) schedule allows: no hot loop, no restart
     * skipped. The reconcile passes that fall within the hour start nothing either.
     */
    @Test
    void aProcessFailingInstantlyForAnHourIsRestartedExactlyAsTheScheduleAllows() {
        RestartPolicy policy = RestartPolicy.DEFAULT;
        FailsInstantly runner = new FailsInstantly();
        try (Rig rig = new Rig(policy).launch()) {
            Instant end = rig.clock.now().plus(ofHours(1));
            rig.table.put("k", runner);

            int attempt = 1;
            ProcessStatus<String> backoff = rig.awaitBackoff("k", attempt);
            while (!backoff.nextAttemptAt().orElseThrow().isAfter(end)) {
                rig.advanceTo(backoff.nextAttemptAt().orElseThrow());
                attempt++;
                backoff = rig.awaitBackoff("k", attempt);
            }
            rig.advanceTo(end);

            int expected = expectedStartsWithin(policy, ofHours(1));
            assertThat(attempt).isEqualTo(expected);
            assertThat(runner.runs()).isEqualTo(expected);
            assertThat(rig.status("k")).isEqualTo(backoff);
            assertThat(rig.listener.passes()).as("periodic passes ran meanwhile").hasSizeGreaterThan(10);
            assertThat(rig.listener.passes()).allSatisfy(pass -> assertThat(pass.started()).isZero());
        }
    }

    /** Simulates the policy with the rig's random sequence: how many starts fall within {@code span} of the first. */
    private static int expectedStartsWithin(RestartPolicy policy, Duration span) {
        Random random = new Random(SEED);
        Duration elapsed = Duration.ZERO;
        int starts = 1;
        for (int n = 1; ; n++) {
            elapsed = elapsed.plus(policy.delay(n, random.nextDouble()));
            if (elapsed.compareTo(span) > 0) {
                return starts;
            }
            starts++;
        }
    }

    /** Waits for attempt to be RUNNING with its run timer armed, then lets {@code run} pass. */
    private static void runFor(Rig rig, int attempt, Duration run) {
        ProcessStatus<String> running = rig.awaitState("k", KeyState.RUNNING, attempt);
        Instant end = running.runningSince().orElseThrow().plus(run);
        rig.awaitTimerAt(end);
        rig.advanceTo(end);
    }

}
