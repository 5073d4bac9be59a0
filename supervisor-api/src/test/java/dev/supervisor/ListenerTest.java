package dev.supervisor;

import static dev.supervisor.KeyState.BACKOFF;
import static dev.supervisor.KeyState.COMPLETED;
import static dev.supervisor.KeyState.RUNNING;
import static dev.supervisor.KeyState.STARTING;
import static dev.supervisor.KeyState.STOPPED;
import static dev.supervisor.KeyState.STOPPING;
import static dev.supervisor.PolicyDoubles.exact;
import static dev.supervisor.Waiting.WAIT;
import static dev.supervisor.Waiting.waiting;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.THROWABLE;

import dev.supervisor.PolicyDoubles.BlockedListener;
import dev.supervisor.PolicyDoubles.RecordingListener;
import dev.supervisor.PolicyDoubles.Rig;
import dev.supervisor.Runners.FailsInstantly;
import dev.supervisor.Runners.Puppet;
import dev.supervisor.Runners.RemovesItsOwnRow;
import dev.supervisor.Runners.ReturnsCleanly;
import dev.supervisor.Runners.RunsUntilStopped;
import dev.supervisor.Runners.Scripted;
import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Listener events: the full ordered history of a key, each event a legal successor (checked by
 * {@link RecordingListener}), pass reports, and listeners that are slow or throw, which must never
 * harm supervision.
 */
@Timeout(30)
class ListenerTest {

    private static final RestartPolicy ONE_SECOND = exact(ofSeconds(1), ofMinutes(1));

    @Test
    void aListenerSeesEveryTransitionOfAKeyInOrderUntilItIsRetired() {
        try (Rig rig = new Rig(ONE_SECOND.withMode(RestartMode.ON_FAILURE)).launch()) {
            rig.table.put("k", new Scripted(new FailsInstantly(), new ReturnsCleanly()));
            rig.advanceTo(rig.awaitBackoff("k", 1).nextAttemptAt().orElseThrow());
            ProcessStatus<String> completed = rig.awaitState("k", COMPLETED, 2);

            rig.deleteRow("k");

            assertThat(rig.listener.history("k")).containsExactly(STARTING, RUNNING, STOPPED, BACKOFF, STARTING, RUNNING,
                    STOPPED, COMPLETED);
            assertThat(rig.listener.statuses("k")).last().isEqualTo(completed);
        }
    }

    /**
     * Regression: retiring a key that has no process (completed, given up, or a process that
     * deleted its own row and returned) published its last status a second time before
     * {@code retired}, so listeners saw COMPLETED -> COMPLETED or STOPPED -> STOPPED, an event
     * that is no change. {@code forget} now publishes only a status that changed.
     */
    @Test
    void retiringAKeyWithoutAProcessDoesNotRepeatItsLastStatus() {
        try (Rig rig = new Rig(ONE_SECOND.withMode(RestartMode.NEVER)).launch()) {
            rig.table.signalling(false); // the process's own delete is found after its exit, not while it runs
            rig.table.put("done", new ReturnsCleanly());
            rig.table.put("self", new RemovesItsOwnRow(rig.table));
            rig.supervisor.reconcileNow();
            rig.awaitState("done", COMPLETED, 1);
            // "self" must have retired itself before the next pass: a pass that finds its row gone while it
            // still runs (between its delete and its return) stops it, and it would show STOPPING
            waiting().until(() -> rig.listener.retiredKeys().contains("self"));

            rig.table.remove("done");
            rig.supervisor.reconcileNow();

            waiting().until(() -> rig.listener.retiredKeys().containsAll(List.of("done", "self")));
            assertThat(rig.listener.history("done")).containsExactly(STARTING, RUNNING, STOPPED, COMPLETED);
            assertThat(rig.listener.history("self")).containsExactly(STARTING, RUNNING, STOPPED);
            assertThat(rig.listener.violations()).isEmpty();
        }
    }

    /**
     * Regression, the same bug by another path: a process returned on its own, and while its exit
     * was being decided (the supervisor reading its row) {@code close()} began; the decision then
     * found starts refused and published the unchanged STOPPED status again.
     */
    @Test
    void anExitDecidedWhileClosingDoesNotRepeatTheStoppedStatus() throws Exception {
        GatedTable table = new GatedTable("k");
        RecordingListener<String> listener = new RecordingListener<>();
        Puppet puppet = new Puppet();
        Supervisor<String, Runner> supervisor = Supervisor.builder(table).clock(new ManualClock()).listener(listener).build();
        try {
            supervisor.launch();
            puppet.becomeReady();
            table.rows.put("k", puppet);
            waiting().until(() -> supervisor.status("k").map(ProcessStatus::state).orElse(null) == RUNNING);
            table.shut();

            puppet.exit();
            assertThat(table.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the exit's decision reads the row").isTrue();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(supervisor::close);
            waiting().until(() -> refusesStarts(supervisor));
            table.open();

            closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            table.open();
            supervisor.close();
        }
        assertThat(supervisor.status("k").orElseThrow().state()).isEqualTo(STOPPED);
        assertThat(listener.history("k")).containsExactly(STARTING, RUNNING, STOPPED);
        assertThat(listener.violations()).isEmpty();
    }

    private static boolean refusesStarts(Supervisor<String, Runner> supervisor) {
        try {
            supervisor.start("no-such-row");
            throw new AssertionError("started a key without a row");
        } catch (ProcessNotFoundException e) {
            return false;
        } catch (NotRunningException e) {
            return true;
        }
    }

    /** Rows in memory; once shut, a read of one key's row waits until the gate opens again. */
    private static final class GatedTable implements Table<String, Runner> {
        final InMemoryTable<String, Runner> rows = new InMemoryTable<>();
        final CountDownLatch entered = new CountDownLatch(1);
        private final String gatedKey;
        private volatile CountDownLatch gate;

        GatedTable(String gatedKey) {
            this.gatedKey = gatedKey;
        }

        void shut() {
            gate = new CountDownLatch(1);
        }

        void open() {
            CountDownLatch shut = gate;
            if (shut != null) {
                shut.countDown();
            }
        }

        @Override
        public Optional<Runner> get(String key) {
            CountDownLatch shut = gate;
            if (shut != null && key.equals(gatedKey)) {
                entered.countDown();
                try {
                    shut.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return rows.get(key);
        }

        @Override
        public Cursor<String, Runner> cursor() {
            return rows.cursor();
        }

        @Override
        public Subscription subscribe(ChangeListener<? super String> listener) {
            return rows.subscribe(listener);
        }
    }

    @Test
    void eachPassReportsRowsSeenStartedRetiredAndSkippedRows() {
        try (Rig rig = new Rig(ONE_SECOND)) {
            IllegalArgumentException undecodable = new IllegalArgumentException("not a worker");
            rig.table.put("a", new RunsUntilStopped()).put("b", new RunsUntilStopped()).putUndecodable("bad", undecodable);
            Instant launchedAt = rig.clock.now();
            rig.launch();

            PassReport<String> restore = awaitPass(rig, 1);
            assertThat(restore.startedAt()).isEqualTo(launchedAt);
            assertThat(restore).extracting(PassReport::rowsSeen, PassReport::started, PassReport::retired).containsExactly(3, 2, 0);
            assertThat(restore.skipped()).singleElement().satisfies(row -> {
                assertThat(row.key()).isEqualTo("bad");
                assertThat(row.error()).isInstanceOf(TableException.class).hasRootCause(undecodable);
                assertThat(((TableException) row.error()).key()).isEqualTo("bad");
            });
            assertThat(restore.complete()).isTrue();
            assertThatRunning(rig, "a", "b");

            rig.table.signalling(false);
            rig.table.remove("a");
            rig.table.put("c", new RunsUntilStopped());
            rig.supervisor.reconcileNow();

            PassReport<String> second = awaitPass(rig, 2);
            assertThat(second).extracting(PassReport::rowsSeen, PassReport::started, PassReport::retired).containsExactly(3, 1, 1);
            assertThat(second.skipped()).extracting(PassReport.SkippedRow::key).containsExactly("bad");
            waiting().until(() -> rig.listener.retiredKeys().contains("a"));
            assertThatRunning(rig, "b", "c");

            rig.table.failNextCursor(new IllegalStateException("database down"));
            rig.supervisor.reconcileNow();

            PassReport<String> failed = awaitPass(rig, 3);
            assertThat(failed.complete()).isFalse();
            assertThat(failed.failure()).get(THROWABLE).isInstanceOf(TableException.class).hasRootCauseMessage("database down");
            assertThat(failed).extracting(PassReport::rowsSeen, PassReport::started, PassReport::retired).containsExactly(0, 0, 0);
            assertThat(rig.supervisor.keys()).as("a failed pass retires nothing").containsExactlyInAnyOrder("b", "c");
        }
    }

    @Test
    void aSlowListenerDelaysOnlyItsOwnEventsAndGetsThemAllInEachKeysOrder() {
        BlockedListener slow = new BlockedListener();
        try (Rig rig = new Rig(b -> b.restartPolicy(ONE_SECOND).listener(slow)).launch()) {
            superviseSomeLifecycles(rig);
            assertThat(slow.seen()).as("still blocked on its first event").isEmpty();

            slow.release();

            for (String key : List.of("fails", "runs")) {
                waiting().untilAsserted(() -> assertThat(slow.seen()).filteredOn(s -> s.key().equals(key))
                        .as("in the order of %s's transitions", key).containsExactlyElementsOf(rig.listener.statuses(key)));
            }
            assertThat(slow.seen()).hasSameSizeAs(rig.listener.all());
        } finally {
            slow.release();
        }
    }

    @Test
    void aThrowingListenerKeepsReceivingEventsAndHarmsNeitherSupervisionNorOtherListeners() {
        AtomicInteger statusCalls = new AtomicInteger();
        AtomicInteger passCalls = new AtomicInteger();
        SupervisorListener<String> throwing = new SupervisorListener<>() {
            @Override
            public void statusChanged(ProcessStatus<String> status) {
                statusCalls.incrementAndGet();
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void retired(ProcessStatus<String> last) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void passCompleted(PassReport<String> report) {
                passCalls.incrementAndGet();
                throw new IllegalStateException("listener bug");
            }
        };
        try (Rig rig = new Rig(b -> b.listener(throwing).restartPolicy(ONE_SECOND)).launch()) {
            superviseSomeLifecycles(rig);

            waiting().untilAsserted(() -> {
                assertThat(statusCalls).hasValue(rig.listener.all().size());
                assertThat(passCalls).hasValue(rig.listener.passes().size());
            });
        }
    }

    /** A pass is announced before its report, with the instant and the kind (full, at launch) the report gives. */
    @Test
    void aPassIsAnnouncedBeforeItsReportInTheListenersOrder() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        SupervisorListener<String> passes = new SupervisorListener<>() {
            @Override
            public void passStarted(Instant startedAt, boolean incremental) {
                events.add("started " + startedAt + (incremental ? " incremental" : " full"));
            }

            @Override
            public void passCompleted(PassReport<String> report) {
                events.add("completed " + report.startedAt() + (report.incremental() ? " incremental" : " full"));
            }
        };
        try (Rig rig = new Rig(b -> b.listener(passes)).launch()) {
            waiting().until(() -> events.size() >= 2);
            assertThat(events.get(0)).startsWith("started ").endsWith(" full");
            assertThat(events.get(1)).isEqualTo(events.get(0).replace("started", "completed"));
        }
    }

    /**
     * With a listener stuck for good, {@code close()} still returns: it gives the listeners the
     * stop timeout (on the supervisor's clock) to take their last events, then goes on.
     */
    @Test
    void closeWaitsForAStuckListenerOnlyForTheStopTimeout() throws Exception {
        BlockedListener stuck = new BlockedListener();
        Duration stopTimeout = ofSeconds(5);
        Rig rig = new Rig(b -> b.listener(stuck).stopTimeout(stopTimeout)).launch();
        try {
            rig.table.put("k", new RunsUntilStopped());
            rig.awaitState("k", RUNNING, 1);

            CompletableFuture<Void> closing = CompletableFuture.runAsync(rig.supervisor::close, Runners.THREADS);
            waiting().until(() -> rig.status("k").state() == STOPPED && !rig.clock.pendingTimerDues().isEmpty());
            assertThat(closing).isNotDone();

            // close() arms the processes' stop deadline and then the listeners' flush deadline, both
            // stopTimeout ahead: advancing by stopTimeout at most twice must let it return.
            for (int advance = 0; advance < 2 && !closing.isDone(); advance++) {
                rig.clock.advance(stopTimeout);
                try {
                    closing.get(2, TimeUnit.SECONDS);
                } catch (TimeoutException flushDeadlineArmedAfterThisAdvance) {
                    waiting().until(() -> !rig.clock.pendingTimerDues().isEmpty() || closing.isDone());
                }
            }
            closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            stuck.release(); // before closing again, so a failure above cannot hang the build
            rig.close();
        }
    }

    /** A key failing and restarting three times, and another started, stopped, restarted by a pass and retired. */
    private static void superviseSomeLifecycles(Rig rig) {
        FailsInstantly failing = new FailsInstantly();
        RunsUntilStopped running = new RunsUntilStopped();
        rig.table.put("fails", failing);
        rig.table.put("runs", running);

        assertThat(rig.backoffs("fails", 1, 3)).containsExactly(ofSeconds(1), ofSeconds(2), ofSeconds(4));
        rig.awaitBackoff("fails", 4);
        rig.awaitState("runs", RUNNING, 1);
        rig.restartByPass("runs", 2);
        rig.deleteRow("runs");

        assertThat(failing.runs()).isEqualTo(4);
        assertThat(running.runs()).isEqualTo(2);
        assertThat(rig.listener.history("runs")).containsExactly(STARTING, RUNNING, STOPPING, STOPPED, STARTING, RUNNING,
                STOPPING, STOPPED);
    }

    private static PassReport<String> awaitPass(Rig rig, int number) {
        return waiting().until(() -> rig.listener.passes(), passes -> passes.size() >= number).get(number - 1);
    }

    private static void assertThatRunning(Rig rig, String... keys) {
        for (String key : keys) {
            rig.awaitState(key, RUNNING, 1);
        }
    }
}
