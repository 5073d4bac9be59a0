package dev.supervisor;

import static dev.supervisor.Waiting.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Runners.RunsUntilStopped;
import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testing.ManualClock;
import dev.supervisor.testsupport.Waits;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reconcile passes and change signals: rows appear, disappear, fail to decode, cursors fail. */
@Timeout(30)
class ReconcileTest {
    private static final Duration INTERVAL = Duration.ofSeconds(60);

    private final InMemoryTable<String, Runner> table = new InMemoryTable<>();
    private final ManualClock clock = new ManualClock();
    private final List<PassReport<String>> passes = new CopyOnWriteArrayList<>();
    private final SupervisorListener<String> passRecorder = new SupervisorListener<>() {
        @Override
        public void passCompleted(PassReport<String> report) {
            passes.add(report);
        }
    };
    private Supervisor<String, Runner> supervisor;

    private Supervisor<String, Runner> launch(Supervisor.Builder<String, Runner> builder) {
        supervisor = builder.clock(clock).reconcileInterval(INTERVAL).listener(passRecorder).build();
        supervisor.launch();
        // launch's pass is reported on the listener's thread, maybe after launch() returned: count it
        // first, so that nextPass() never mistakes it for the pass it triggers
        await().atMost(WAIT).until(() -> passes.size() == 1);
        return supervisor;
    }

    @AfterEach
    void close() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    /** Advances one interval and waits until the pass it triggers has reported. */
    private PassReport<String> nextPass() {
        int before = passes.size();
        clock.advance(INTERVAL);
        await().atMost(WAIT).until(() -> passes.size() > before);
        return passes.get(before);
    }

    @Test
    void rowInsertedAfterLaunchIsStartedByThePeriodicPass() {
        launch(Supervisor.builder(table.signalling(false)));
        table.put("late", new RunsUntilStopped("late"));
        assertThat(supervisor.keys()).isEmpty();

        PassReport<String> pass = nextPass();

        assertThat(pass.started()).isEqualTo(1);
        await().atMost(WAIT).until(() -> supervisor.keys().contains("late"));
    }

    @Test
    void changeSignalStartsARowAtOnceWithoutAPass() {
        launch(Supervisor.builder(table));
        int cursorsAfterLaunch = table.cursorsOpened();

        table.put("now", new RunsUntilStopped("now"));

        await().atMost(WAIT).until(() -> supervisor.status("now").map(s -> s.state() == KeyState.RUNNING).orElse(false));
        assertThat(table.cursorsOpened()).as("no full pass needed").isEqualTo(cursorsAfterLaunch);
    }

    @Test
    void deletedRowIsRetiredByThePeriodicPass() throws Exception {
        RunsUntilStopped worker = new RunsUntilStopped("gone");
        table.put("gone", worker).put("stays", new RunsUntilStopped("stays"));
        launch(Supervisor.builder(table.signalling(false)));

        table.remove("gone");
        PassReport<String> pass = nextPass();

        assertThat(pass.retired()).isEqualTo(1);
        assertThat(worker.stopped.await(Waits.SHORT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).until(() -> supervisor.keys().equals(Set.of("stays")));
    }

    @Test
    void undecodableRowIsSkippedAndReportedWhileTheOthersRun() {
        IllegalArgumentException bad = new IllegalArgumentException("payload is not JSON");
        table.put("good", new RunsUntilStopped("good")).putUndecodable("bad", bad).put("also-good", new RunsUntilStopped("x"));

        launch(Supervisor.builder(table));

        assertThat(supervisor.keys()).containsExactlyInAnyOrder("good", "also-good");
        PassReport<String> pass = passes.get(0);
        assertThat(pass.rowsSeen()).isEqualTo(3);
        assertThat(pass.skipped()).singleElement().satisfies(row -> {
            assertThat(row.key()).isEqualTo("bad");
            assertThat(row.error()).isInstanceOf(TableException.class).hasRootCause(bad);
        });
        assertThat(pass.complete()).isTrue();
    }

    @Test
    void undecodableRowOfARunningProcessDoesNotRetireIt() {
        table.put("a", new RunsUntilStopped("a"));
        launch(Supervisor.builder(table.signalling(false)));
        table.putUndecodable("a", new IllegalArgumentException("corrupted"));

        PassReport<String> pass = nextPass();

        assertThat(pass.retired()).isZero();
        assertThat(supervisor.keys()).containsExactly("a");
    }

    @Test
    void failingCursorEndsThatPassOnlyAndRunningProcessesKeepRunning() {
        table.put("a", new RunsUntilStopped("a"));
        launch(Supervisor.builder(table.signalling(false)));
        table.failNextCursor(new IllegalStateException("database is down"));
        table.remove("a");
        table.put("b", new RunsUntilStopped("b"));

        PassReport<String> failed = nextPass();

        assertThat(failed.complete()).isFalse();
        assertThat(failed.failure()).hasValueSatisfying(e -> assertThat(e).hasRootCauseMessage("database is down"));
        assertThat(supervisor.keys()).as("nothing retired by a failed pass").containsExactly("a");

        PassReport<String> next = nextPass();

        assertThat(next.complete()).isTrue();
        await().atMost(WAIT).until(() -> supervisor.keys().equals(Set.of("b")));
    }

    /**
     * A failed pass (the database down, say) used to wait a whole interval for the next one; it
     * is now retried after 1 s, then 2 s, 4 s ... up to the interval, and a complete pass resets that.
     */
    @Test
    void failedPassIsRetriedSoonWithBackoff() {
        table.put("a", new RunsUntilStopped("a"));
        table.failNextCursor(new IllegalStateException("database is down"));
        launch(Supervisor.builder(table.signalling(false)));
        assertThat(passes.get(0).complete()).isFalse();
        await().atMost(WAIT).until(() -> clock.pendingTimerDues().contains(clock.now().plus(Duration.ofSeconds(1))));
        table.failNextCursor(new IllegalStateException("still down"));

        clock.advance(Duration.ofSeconds(1));
        await().atMost(WAIT).until(() -> passes.size() == 2);
        assertThat(passes.get(1).complete()).isFalse();
        await("the second retry is armed 2 s ahead")
                .atMost(WAIT).until(() -> clock.pendingTimerDues().contains(clock.now().plus(Duration.ofSeconds(2))));

        clock.advance(Duration.ofSeconds(2));
        await().atMost(WAIT).until(() -> passes.size() == 3);
        assertThat(passes.get(2).complete()).isTrue();
        await().atMost(WAIT).until(() -> supervisor.keys().contains("a"));
    }

    @Test
    void failingFirstPassDoesNotFailLaunch() {
        table.put("a", new RunsUntilStopped("a"));
        table.failNextCursor(new IllegalStateException("database is down"));
        launch(Supervisor.builder(table.signalling(false)));
        assertThat(supervisor.keys()).isEmpty();

        nextPass();

        await().atMost(WAIT).until(() -> supervisor.keys().contains("a"));
    }

    @Test
    void ownershipDecidesWhichKeysRunAndTakesThemAway() throws Exception {
        Set<String> owned = ConcurrentHashMap.newKeySet();
        owned.add("mine");
        AtomicReference<Ownership.Control<String>> control = new AtomicReference<>();
        Ownership<String> ownership = new Ownership<>() {
            @Override
            public void open(Control<String> c) {
                control.set(c);
            }

            @Override
            public OptionalLong tryAcquire(String key) {
                return owned.contains(key) ? OptionalLong.of(7) : OptionalLong.empty();
            }
        };
        AtomicReference<Long> epochSeen = new AtomicReference<>();
        RunsUntilStopped theirs = new RunsUntilStopped("theirs");
        table.put("mine", context -> {
            epochSeen.set(context.epoch());
            context.ready();
            context.awaitStop();
        }).put("theirs", theirs);

        launch(Supervisor.builder(table).ownership(ownership));

        assertThat(supervisor.keys()).containsExactly("mine");
        assertThat(epochSeen.get()).isEqualTo(7L);

        owned.add("theirs");
        control.get().acquired("theirs");
        await().atMost(WAIT).until(() -> supervisor.keys().contains("theirs"));

        owned.remove("theirs");
        control.get().lost("theirs").get(Waits.SHORT.toSeconds(), TimeUnit.SECONDS);
        assertThat(theirs.stopped.getCount()).isZero();
        assertThat(supervisor.keys()).containsExactly("mine");
        assertThat(supervisor.status("theirs")).isEmpty();
    }
}
