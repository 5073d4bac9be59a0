package dev.supervisor;

import static dev.supervisor.PolicyDoubles.exact;
import static dev.supervisor.Waiting.waiting;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervisor.PolicyDoubles.Rig;
import dev.supervisor.Runners.BlocksInStartup;
import dev.supervisor.Runners.Boom;
import dev.supervisor.Runners.CountingRunner;
import dev.supervisor.Runners.FailsAfter;
import dev.supervisor.Runners.FailsBeforeReady;
import dev.supervisor.Runners.FailsInstantly;
import dev.supervisor.Runners.ReturnsBeforeReady;
import dev.supervisor.Runners.ReturnsCleanly;
import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Restart modes, give-up and its way back, failed starts as failures, and policies per key. */
@Timeout(30)
class RestartPolicyTest {

    private static final RestartPolicy ONE_SECOND = exact(ofSeconds(1), ofMinutes(1));

    @Nested
    class Values {

        @Test
        void theDefaultIsAlways500msDoublingTo30sWith20PercentJitterResetAfter60sAndNoGiveUp() {
            RestartPolicy policy = RestartPolicy.DEFAULT;

            assertThat(policy.mode()).isEqualTo(RestartMode.ALWAYS);
            assertThat(policy.initialBackoff()).isEqualTo(ofMillis(500));
            assertThat(policy.multiplier()).isEqualTo(2.0);
            assertThat(policy.maxBackoff()).isEqualTo(ofSeconds(30));
            assertThat(policy.jitter()).isEqualTo(0.2);
            assertThat(policy.resetAfter()).isEqualTo(ofSeconds(60));
            assertThat(policy.giveUpFailures()).isZero();
        }

        @Test
        void delayGrowsByTheMultiplierUpToTheCapAndJitterScalesItWithinOneMinusToOnePlusJitter() {
            RestartPolicy policy = RestartPolicy.DEFAULT.withMultiplier(3);

            assertThat(policy.delay(1, 0.5)).isEqualTo(ofMillis(500));
            assertThat(policy.delay(3, 0.5)).isEqualTo(ofMillis(4500));
            assertThat(policy.delay(5, 0.5)).isEqualTo(ofSeconds(30));
            assertThat(policy.delay(1_000, 0.5)).as("no overflow far out").isEqualTo(ofSeconds(30));
            assertThat(policy.delay(1, 0.0)).isEqualTo(ofMillis(400));
            assertThat(policy.delay(5, Math.nextDown(1.0))).isBetween(ofMillis(35_999), ofSeconds(36));
            assertThatThrownBy(() -> policy.delay(0, 0.5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n must be >= 1");
        }

        @Test
        void eachModeSaysWhichExitsItRestarts() {
            for (ProcessExit.Kind kind : ProcessExit.Kind.values()) {
                assertThat(RestartPolicy.of(RestartMode.ALWAYS).restarts(kind)).as("ALWAYS %s", kind).isTrue();
                assertThat(RestartPolicy.of(RestartMode.ON_FAILURE).restarts(kind)).as("ON_FAILURE %s", kind).isEqualTo(kind.isFailure());
                assertThat(RestartPolicy.of(RestartMode.NEVER).restarts(kind)).as("NEVER %s", kind).isFalse();
            }
        }

        @Test
        void invalidValuesAreRejectedWithTheOptionAndTheValueInTheMessage() {
            RestartPolicy policy = RestartPolicy.DEFAULT;

            assertThatThrownBy(() -> policy.withBackoff(Duration.ZERO, ofSeconds(1))).hasMessage("initialBackoff must be positive, was PT0S");
            assertThatThrownBy(() -> policy.withBackoff(ofSeconds(2), ofSeconds(1))).hasMessage("maxBackoff PT1S is below initialBackoff PT2S");
            assertThatThrownBy(() -> policy.withMultiplier(0.5)).hasMessage("multiplier must be a finite number >= 1, was 0.5");
            assertThatThrownBy(() -> policy.withMultiplier(Double.NaN)).hasMessageContaining("was NaN");
            assertThatThrownBy(() -> policy.withJitter(1.0)).hasMessage("jitter must be in [0, 1), was 1.0");
            assertThatThrownBy(() -> policy.withResetAfter(ofSeconds(-1))).hasMessage("resetAfter must not be negative, was PT-1S");
            assertThatThrownBy(() -> policy.withGiveUp(0, ofMinutes(1))).hasMessageContaining("give-up failures must be >= 1, was 0");
            assertThatThrownBy(() -> policy.withGiveUp(3, Duration.ZERO)).hasMessage("giveUpWindow must be positive, was PT0S");
        }
    }

    @Nested
    class Modes {

        @Test
        void alwaysRestartsACleanExitWithBackoff() {
            try (Rig rig = new Rig(ONE_SECOND.withMode(RestartMode.ALWAYS)).launch()) {
                ReturnsCleanly runner = new ReturnsCleanly();
                rig.table.put("k", runner);

                assertThat(rig.backoffs("k", 1, 2)).containsExactly(ofSeconds(1), ofSeconds(2));
                ProcessStatus<String> third = rig.awaitBackoff("k", 3);
                assertThat(third.lastExit().orElseThrow().kind()).isEqualTo(ProcessExit.Kind.SUCCEEDED);
                assertThat(runner.runs()).isEqualTo(3);
            }
        }

        @Test
        void onFailureCompletesACleanExit() {
            try (Rig rig = new Rig(ONE_SECOND.withMode(RestartMode.ON_FAILURE)).launch()) {
                ReturnsCleanly runner = new ReturnsCleanly();
                rig.table.put("k", runner);

                ProcessStatus<String> completed = rig.awaitState("k", KeyState.COMPLETED, 1);

                assertThat(completed.lastExit().orElseThrow().kind()).isEqualTo(ProcessExit.Kind.SUCCEEDED);
                assertStaysPut(rig, "k", completed);
                assertThat(runner.runs()).isEqualTo(1);
            }
        }

        @Test
        void onFailureRestartsAFailureAndAFailedStart() {
            try (Rig rig = new Rig(ONE_SECOND.withMode(RestartMode.ON_FAILURE)).launch()) {
                rig.table.put("fails", new FailsInstantly());
                rig.table.put("start-fails", new FailsBeforeReady());
                ProcessStatus<String> fails = rig.awaitBackoff("fails", 1);
                ProcessStatus<String> startFails = rig.awaitBackoff("start-fails", 1);

                rig.clock.advance(ofSeconds(1));

                assertThat(fails.lastExit().orElseThrow().kind()).isEqualTo(ProcessExit.Kind.FAILED);
                assertThat(startFails.lastExit().orElseThrow().kind()).isEqualTo(ProcessExit.Kind.START_FAILED);
                assertThat(Rig.backoffOf(rig.awaitBackoff("fails", 2))).isEqualTo(ofSeconds(2));
                assertThat(Rig.backoffOf(rig.awaitBackoff("start-fails", 2))).isEqualTo(ofSeconds(2));
            }
        }

        @Test
        void neverCompletesACleanExitAndAFailureAlike() {
            try (Rig rig = new Rig(ONE_SECOND.withMode(RestartMode.NEVER)).launch()) {
                FailsInstantly failing = new FailsInstantly();
                rig.table.put("clean", new ReturnsCleanly());
                rig.table.put("fails", failing);

                ProcessStatus<String> clean = rig.awaitState("clean", KeyState.COMPLETED, 1);
                ProcessStatus<String> failed = rig.awaitState("fails", KeyState.COMPLETED, 1);

                assertThat(clean.lastExit().orElseThrow().kind()).isEqualTo(ProcessExit.Kind.SUCCEEDED);
                assertThat(failed.lastExit().orElseThrow().kind()).isEqualTo(ProcessExit.Kind.FAILED);
                assertThat(failed.lastError()).containsInstanceOf(Boom.class);
                assertStaysPut(rig, "fails", failed);
                assertThat(failing.runs()).isEqualTo(1);
            }
        }

        @Test
        void aCompletedKeyRunsAgainAfterResetOrWhenItsRowIsDeletedAndInsertedAgain() {
            try (Rig rig = new Rig(ONE_SECOND.withMode(RestartMode.NEVER)).launch()) {
                ReturnsCleanly runner = new ReturnsCleanly();
                rig.table.put("k", runner);
                rig.awaitState("k", KeyState.COMPLETED, 1);

                rig.supervisor.reset("k");
                rig.awaitState("k", KeyState.COMPLETED, 2);

                rig.deleteRow("k");
                rig.table.put("k", runner);
                rig.awaitState("k", KeyState.COMPLETED, 1);
                assertThat(runner.runs()).isEqualTo(3);
            }
        }
    }

    @Nested
    class GiveUp {

        private final RestartPolicy threeInAMinute = ONE_SECOND.withGiveUp(3, ofMinutes(1));

        @Test
        void theFailureThatMakesMoreThanNWithinTheWindowGivesUpForGood() {
            try (Rig rig = new Rig(threeInAMinute).launch()) {
                FailsInstantly runner = new FailsInstantly();
                rig.table.put("k", runner);

                assertThat(rig.backoffs("k", 1, 3)).containsExactly(ofSeconds(1), ofSeconds(2), ofSeconds(4));
                ProcessStatus<String> givenUp = rig.awaitState("k", KeyState.GIVEN_UP, 4);

                assertThat(givenUp.nextAttemptAt()).isEmpty();
                assertThat(givenUp.lastExit().orElseThrow().kind()).isEqualTo(ProcessExit.Kind.FAILED);
                assertThat(givenUp.lastError()).get().extracting(Throwable::getMessage).isEqualTo("attempt 4 failed");
                // the status is read from the supervisor; the listener gets its events on its own thread, later
                waiting().untilAsserted(() -> assertThat(rig.listener.history("k")).endsWith(KeyState.STOPPED, KeyState.GIVEN_UP));
                rig.clock.advance(ofHours(1));
                assertStaysPut(rig, "k", givenUp);
                assertThat(runner.runs()).isEqualTo(4);
                assertThat(rig.supervisor.keys()).isEmpty();
            }
        }

        @Test
        void failuresThatFallOutOfTheWindowAreForgotten() {
            // delays 4 s, 8 s, 16 s...: failures at 0, 4, 12, 28 s; never more than 2 within any 10 s
            try (Rig rig = new Rig(exact(ofSeconds(4), ofMinutes(1)).withGiveUp(2, ofSeconds(10))).launch()) {
                rig.table.put("k", new FailsInstantly());

                assertThat(rig.backoffs("k", 1, 5)).containsExactly(ofSeconds(4), ofSeconds(8), ofSeconds(16), ofSeconds(32), ofSeconds(60));
                rig.awaitBackoff("k", 6);
            }
        }

        @Test
        void resetBringsAGivenUpKeyBackWithAFreshHistoryAndTheInitialDelay() {
            try (Rig rig = new Rig(threeInAMinute).launch()) {
                FailsInstantly runner = new FailsInstantly();
                rig.table.put("k", runner);
                rig.backoffs("k", 1, 3);
                rig.awaitState("k", KeyState.GIVEN_UP, 4);

                rig.supervisor.reset("k");

                ProcessStatus<String> backoff = rig.awaitBackoff("k", 5);
                assertThat(Rig.backoffOf(backoff)).isEqualTo(ofSeconds(1));
                waiting().untilAsserted(() -> assertThat(rig.listener.history("k"))
                        .containsSubsequence(KeyState.GIVEN_UP, KeyState.STOPPED, KeyState.STARTING));
                assertThat(rig.backoffs("k", 5, 7)).as("three more failures are allowed").containsExactly(ofSeconds(1), ofSeconds(2), ofSeconds(4));
                rig.awaitState("k", KeyState.GIVEN_UP, 8);
                assertThat(runner.runs()).isEqualTo(8);
            }
        }

        @Test
        void aRowDeletedAndInsertedAgainBringsAGivenUpKeyBackAsANewKey() {
            try (Rig rig = new Rig(threeInAMinute).launch()) {
                FailsInstantly runner = new FailsInstantly();
                rig.table.put("k", runner);
                rig.backoffs("k", 1, 3);
                ProcessStatus<String> givenUp = rig.awaitState("k", KeyState.GIVEN_UP, 4);

                rig.deleteRow("k");
                rig.table.put("k", runner);

                ProcessStatus<String> backoff = rig.awaitBackoff("k", 1);
                assertThat(Rig.backoffOf(backoff)).isEqualTo(ofSeconds(1));
                assertThat(backoff.restarts()).isZero();
                assertThat(rig.listener.statuses("k")).contains(givenUp);
                assertThat(runner.runs()).isEqualTo(5);
            }
        }

        /**
         * Regression: a stable run (at least resetAfter) reset the backoff by forgetting the whole
         * failure history, after the failure that ended the run had been counted: that failure
         * was erased at once. A process that ran a little longer than resetAfter and then failed,
         * again and again, never gave up however many failures fell within the window. A stable
         * run now resets only the backoff position; failures leave the count only by leaving the
         * window (or by reset(key)).
         */
        @Test
        void aStableRunDoesNotEraseFailuresFromTheGiveUpWindow() {
            RestartPolicy policy = ONE_SECOND.withResetAfter(ofSeconds(60)).withGiveUp(2, ofMinutes(10));
            try (Rig rig = new Rig(policy).launch()) {
                rig.table.put("k", new FailsAfter(ofSeconds(61)));

                for (int attempt = 1; attempt <= 2; attempt++) {
                    runUntilItFails(rig, attempt);
                    ProcessStatus<String> backoff = rig.awaitBackoff("k", attempt);
                    assertThat(Rig.backoffOf(backoff)).as("each stable run resets the backoff").isEqualTo(ofSeconds(1));
                    rig.advanceTo(backoff.nextAttemptAt().orElseThrow());
                }
                runUntilItFails(rig, 3);

                ProcessStatus<String> givenUp = rig.awaitState("k", KeyState.GIVEN_UP, 3);
                assertThat(givenUp.lastExit().orElseThrow().at()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(3 * 61 + 2));
            }
        }

        private static void runUntilItFails(Rig rig, int attempt) {
            ProcessStatus<String> running = rig.awaitState("k", KeyState.RUNNING, attempt);
            Instant fails = running.runningSince().orElseThrow().plusSeconds(61);
            rig.awaitTimerAt(fails);
            rig.advanceTo(fails);
        }

        @Test
        void resetOfAKeyTheSupervisorDoesNotKnowIsRefusedNamingTheKey() {
            try (Rig rig = new Rig(threeInAMinute).launch()) {
                assertThatThrownBy(() -> rig.supervisor.reset("nobody"))
                        .isInstanceOf(ProcessNotFoundException.class)
                        .hasMessageContaining("nobody")
                        .extracting(e -> ((ProcessNotFoundException) e).key()).isEqualTo("nobody");
            }
        }

        @Test
        void resetOfAKeyInBackoffStartsItNow() {
            try (Rig rig = new Rig(exact(ofMinutes(10), ofMinutes(10))).launch()) {
                FailsInstantly runner = new FailsInstantly();
                rig.table.put("k", runner);
                ProcessStatus<String> backoff = rig.awaitBackoff("k", 1);

                rig.supervisor.reset("k");

                ProcessStatus<String> next = rig.awaitBackoff("k", 2);
                assertThat(next.startedAt()).contains(backoff.lastExit().orElseThrow().at());
                assertThat(rig.clock.pendingTimerDues()).as("the first restart timer was cancelled")
                        .filteredOn(next.nextAttemptAt().orElseThrow()::equals).hasSize(1);
            }
        }
    }

    @Nested
    class FailedStarts {

        static Stream<Arguments> failedStarts() {
            return Stream.of(
                    Arguments.of("throws before ready()", (Supplier<CountingRunner>) FailsBeforeReady::new, Boom.class),
                    Arguments.of("returns before ready()", (Supplier<CountingRunner>) ReturnsBeforeReady::new, ProcessStartException.class));
        }

        @ParameterizedTest(name = "a runner that {0}")
        @MethodSource("failedStarts")
        void aFailedStartIsAFailureForBackoffAndGiveUp(String what, Supplier<CountingRunner> runner, Class<?> error) {
            try (Rig rig = new Rig(ONE_SECOND.withGiveUp(2, ofMinutes(1))).launch()) {
                rig.table.put("k", runner.get());

                assertThat(rig.backoffs("k", 1, 2)).containsExactly(ofSeconds(1), ofSeconds(2));
                ProcessStatus<String> givenUp = rig.awaitState("k", KeyState.GIVEN_UP, 3);

                assertThat(givenUp.lastExit().orElseThrow().kind()).isEqualTo(ProcessExit.Kind.START_FAILED);
                assertThat(givenUp.lastError()).containsInstanceOf(error);
                assertThat(givenUp.lastExit().orElseThrow().ran()).isZero();
                assertThat(rig.listener.history("k")).doesNotContain(KeyState.RUNNING);
            }
        }

        @Test
        void aStartTimeoutIsAFailureForBackoffAndGiveUp() {
            Duration startTimeout = ofSeconds(5);
            try (Rig rig = new Rig(b -> b.restartPolicy(ONE_SECOND.withGiveUp(1, ofMinutes(1))).startTimeout(startTimeout)).launch()) {
                BlocksInStartup runner = new BlocksInStartup();
                rig.table.put("k", runner);

                timeOut(rig, 1, startTimeout);
                ProcessStatus<String> backoff = rig.awaitBackoff("k", 1);
                assertThat(Rig.backoffOf(backoff)).isEqualTo(ofSeconds(1));
                assertThat(backoff.lastExit().orElseThrow().kind()).isEqualTo(ProcessExit.Kind.START_FAILED);
                assertThat(backoff.lastError()).get().isInstanceOf(ProcessStartException.class)
                        .extracting(Throwable::getMessage).asString().contains("start timeout", "PT5S");

                rig.advanceTo(backoff.nextAttemptAt().orElseThrow());
                timeOut(rig, 2, startTimeout);
                rig.awaitState("k", KeyState.GIVEN_UP, 2);
                assertThat(runner.runs()).isEqualTo(2);
            }
        }

        private static void timeOut(Rig rig, int attempt, Duration startTimeout) {
            ProcessStatus<String> starting = rig.awaitState("k", KeyState.STARTING, attempt);
            Instant deadline = starting.startedAt().orElseThrow().plus(startTimeout);
            rig.awaitTimerAt(deadline);
            rig.advanceTo(deadline);
        }
    }

    @Nested
    class PerKey {

        @Test
        void restartPolicyForOverridesTheBuilderPolicyPerKeyAndNullKeepsIt() {
            RestartPolicy slow = exact(ofSeconds(10), ofMinutes(5));
            RestartPolicy once = ONE_SECOND.withMode(RestartMode.NEVER);
            try (Rig rig = new Rig(b -> b.restartPolicy(ONE_SECOND).restartPolicyFor((key, process) -> switch (key) {
                case "slow" -> slow;
                case "once" -> once;
                default -> null;
            })).launch()) {
                rig.table.put("slow", new FailsInstantly());
                rig.table.put("once", new FailsInstantly());
                rig.table.put("default", new FailsInstantly());

                assertThat(Rig.backoffOf(rig.awaitBackoff("slow", 1))).isEqualTo(ofSeconds(10));
                assertThat(Rig.backoffOf(rig.awaitBackoff("default", 1))).isEqualTo(ofSeconds(1));
                rig.awaitState("once", KeyState.COMPLETED, 1);
            }
        }

        /**
         * Regression: when a restart timer fell due and the key's row could not be read (the
         * table failed, or the row no longer decoded), the retry was scheduled with the builder's
         * policy, because the per-key function was asked with no process; a key with its own
         * policy silently switched to the default schedule. The slot now keeps the policy that
         * decided its restart.
         */
        @Test
        void aRestartThatCannotReadItsRowKeepsThePerKeyPolicy() {
            RestartPolicy slow = exact(ofSeconds(10), ofMinutes(5));
            try (Rig rig = new Rig(b -> b.restartPolicy(ONE_SECOND).restartPolicyFor((key, process) -> slow)).launch()) {
                rig.table.put("k", new FailsInstantly());
                ProcessStatus<String> first = rig.awaitBackoff("k", 1);
                assertThat(Rig.backoffOf(first)).isEqualTo(ofSeconds(10));
                rig.table.failReads(new IllegalStateException("database down")); // a row that cannot be decoded is INVALID instead

                rig.advanceTo(first.nextAttemptAt().orElseThrow());

                ProcessStatus<String> retry = waiting().until(() -> rig.status("k"),
                        s -> s.state() == KeyState.BACKOFF && !s.nextAttemptAt().equals(first.nextAttemptAt()));
                assertThat(Duration.between(first.nextAttemptAt().orElseThrow(), retry.nextAttemptAt().orElseThrow()))
                        .isEqualTo(ofSeconds(20));
            }
        }

        /** A process type that carries its own policy. */
        record Worker(RestartPolicy restartPolicy) implements Runner {
            @Override
            public void run(ProcessContext context) {
                context.ready();
                throw new Boom("worker failed");
            }
        }

        @Test
        void aProcessCanCarryItsOwnPolicy() {
            InMemoryTable<String, Worker> table = new InMemoryTable<>();
            try (Supervisor<String, Worker> supervisor = Supervisor.builder(table).clock(new ManualClock())
                    .restartPolicyFor((key, worker) -> worker.restartPolicy()).build()) {
                supervisor.launch();
                table.put("a", new Worker(exact(ofSeconds(3), ofMinutes(1))));
                table.put("b", new Worker(exact(ofSeconds(7), ofMinutes(1)).withMode(RestartMode.NEVER)));

                ProcessStatus<String> a = waiting().until(() -> supervisor.status("a").orElse(null), s -> s != null && s.state() == KeyState.BACKOFF);
                assertThat(Duration.between(a.lastExit().orElseThrow().at(), a.nextAttemptAt().orElseThrow())).isEqualTo(ofSeconds(3));
                waiting().until(() -> supervisor.status("b").map(ProcessStatus::state).orElse(null), KeyState.COMPLETED::equals);
            }
        }
    }

    /** Asserts that neither a pass nor a change signal moves key from status, and nothing is timed for it. */
    static void assertStaysPut(Rig rig, String key, ProcessStatus<String> status) {
        int passes = rig.listener.passes().size();
        rig.table.put(key, rig.table.get(key).orElseThrow()); // a change signal
        rig.supervisor.reconcileNow();
        waiting().until(() -> rig.listener.passes().size() > passes);
        assertThat(rig.status(key)).isEqualTo(status);
        assertThat(rig.supervisor.keys()).doesNotContain(key);
    }
}
