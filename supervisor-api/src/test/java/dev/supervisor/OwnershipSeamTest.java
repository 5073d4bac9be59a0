package dev.supervisor;

import static dev.supervisor.Waiting.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Runners.RunsUntilStopped;
import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testing.ManualClock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ownership seam under races: what {@link Ownership.Control#lost} promises must hold for every start path. */
@Timeout(30)
class OwnershipSeamTest {

    private final InMemoryTable<String, Runner> table = new InMemoryTable<>();
    private final ManualClock clock = new ManualClock();
    private Supervisor<String, Runner> supervisor;

    @AfterEach
    void close() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    /**
     * Regression: {@code start(key)} asked the ownership before locking the key's slot. The
     * interleaving: tryAcquire answers "owned, epoch 1"; before the start creates its attempt,
     * the ownership drops the key and calls {@code lost(key)}, which finds no process yet and
     * completes at once; then the start goes ahead, and a process runs on a node that has been
     * told, and has reported, that the key is no longer its own. (A cluster node would then run a
     * key another node had claimed.) Now tryAcquire is asked under the slot's lock, which lost
     * also takes, so lost either sees the attempt and stops it, or the start sees no epoch.
     */
    @RepeatedTest(5)
    void aStartRacingLostIsStoppedByIt() throws Exception {
        AtomicBoolean owned = new AtomicBoolean();
        AtomicBoolean raceNextAcquire = new AtomicBoolean();
        AtomicReference<Ownership.Control<String>> control = new AtomicReference<>();
        AtomicReference<CompletableFuture<Void>> lost = new AtomicReference<>();
        Ownership<String> ownership = new Ownership<>() {
            @Override
            public void open(Control<String> c) {
                control.set(c);
            }

            @Override
            public OptionalLong tryAcquire(String key) {
                if (!owned.get()) {
                    return OptionalLong.empty();
                }
                if (raceNextAcquire.compareAndSet(true, false)) {
                    // The answer below is about to go stale: another thread takes the key away now.
                    Thread taker = Thread.ofPlatform().start(() -> {
                        owned.set(false);
                        lost.set(control.get().lost(key));
                    });
                    // Go on once lost() has returned, or once it waits for the key's lock.
                    await().atMost(WAIT).pollInterval(Duration.ofMillis(1))
                            .until(() -> lost.get() != null || taker.getState() == Thread.State.WAITING);
                }
                return OptionalLong.of(1);
            }
        };
        RunsUntilStopped runner = new RunsUntilStopped("k");
        table.put("k", runner);
        supervisor = Supervisor.builder(table).clock(clock).ownership(ownership).build();
        supervisor.launch();
        assertThat(supervisor.keys()).isEmpty();

        owned.set(true);
        raceNextAcquire.set(true);
        try {
            supervisor.start("k");
        } catch (ProcessStartException stoppedWhileStarting) {
            // lost() may reach the attempt before it is ready
        }
        await().atMost(WAIT).until(() -> lost.get() != null);
        lost.get().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(supervisor.keys()).as("no process once lost() has completed").isEmpty();
        assertThat(supervisor.status("k")).isEmpty();
    }

    /** Owns every key with epoch 1 and keeps the supervisor's side of the seam. */
    private static final class OwnsEverything implements Ownership<String> {
        volatile Ownership.Control<String> control;

        @Override
        public void open(Control<String> c) {
            control = c;
        }

        @Override
        public OptionalLong tryAcquire(String key) {
            return OptionalLong.of(1);
        }
    }

    /**
     * A lease that is about to expire cannot wait for a long stop timeout: lost(key, forceAfter)
     * interrupts a process that ignores the graceful stop after forceAfter, not after the
     * supervisor's 60 s.
     */
    /** Launches a supervisor (stop timeout 60 s) that owns every key, with runner as "k", and waits until it runs. */
    private OwnsEverything launchRunning(Runner runner) {
        table.put("k", runner);
        OwnsEverything ownership = new OwnsEverything();
        supervisor = Supervisor.builder(table).clock(clock).ownership(ownership).stopTimeout(Duration.ofSeconds(60)).build();
        supervisor.launch();
        await().atMost(WAIT).until(() -> supervisor.keys().contains("k"));
        return ownership;
    }

    @Test
    void lostWithADeadlineInterruptsSoonerThanTheStopTimeout() throws Exception {
        Runners.IgnoresStop runner = new Runners.IgnoresStop();
        OwnsEverything ownership = launchRunning(runner);

        int timersBefore = clock.pendingTimers(); // the reconcile loop's
        CompletableFuture<Void> lost = ownership.control.lost("k", Duration.ofSeconds(2));
        assertThat(runner.stopSeen.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofMillis(1_999));
        assertThat(lost).isNotDone();
        clock.advance(Duration.ofMillis(1));

        lost.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(runner.interrupted.getCount()).isZero();
        assertThat(supervisor.keys()).isEmpty();
        assertThat(clock.pendingTimers()).as("the 60 s stop deadline was cancelled when the process ended")
                .isEqualTo(timersBefore);
    }

    /**
     * Regression: a cluster node's safety stop was lifted (a heartbeat answered in time again)
     * while a process it had stopped was still stopping. The ownership said {@code acquired} at
     * once, but the key's check found the process still there, and when it ended the lost stop
     * forgot the key: nothing started it again although the node held its lease, until a full
     * pass (10 minutes at the defaults). The key is now checked again once that process ended.
     */
    @Test
    void aKeyAcquiredAgainWhileItsLostProcessStopsStartsOnceThatProcessEnded() throws Exception {
        AtomicBoolean owned = new AtomicBoolean(true);
        AtomicReference<Ownership.Control<String>> control = new AtomicReference<>();
        Ownership<String> ownership = new Ownership<>() {
            @Override
            public void open(Control<String> c) {
                control.set(c);
            }

            @Override
            public OptionalLong tryAcquire(String key) {
                return owned.get() ? OptionalLong.of(1) : OptionalLong.empty();
            }
        };
        Runners.SlowToStop runner = new Runners.SlowToStop();
        table.put("k", runner);
        supervisor = Supervisor.builder(table).clock(clock).ownership(ownership).stopTimeout(Duration.ofSeconds(60)).build();
        supervisor.launch();
        await().atMost(WAIT).until(() -> supervisor.keys().contains("k"));

        owned.set(false);
        CompletableFuture<Void> lost = control.get().lost("k");
        assertThat(runner.stopSeen.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        owned.set(true);
        int reads = table.gets();
        control.get().acquired("k"); // while the lost process is still stopping
        await().atMost(WAIT).until(() -> table.gets() > reads); // its check has begun
        control.get().acquired("absent"); // a check the loop takes up only once that of "k" is done
        await().atMost(WAIT).until(() -> table.gets() > reads + 1);
        runner.release.countDown();
        lost.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        // The clock stands still: no periodic or full pass can start it, only the check asked for.
        await().atMost(WAIT).until(() -> runner.runs() == 2 && supervisor.keys().contains("k"));
    }

    /** forceAfter zero interrupts at once; a longer one than the stop timeout changes nothing. */
    @Test
    void lostWithZeroDeadlineInterruptsAtOnce() throws Exception {
        Runners.IgnoresStop runner = new Runners.IgnoresStop();
        OwnsEverything ownership = launchRunning(runner);

        ownership.control.lost("k", Duration.ZERO).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(runner.interrupted.getCount()).isZero();
        assertThat(supervisor.keys()).isEmpty();
    }
}
