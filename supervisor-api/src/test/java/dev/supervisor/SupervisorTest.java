package dev.supervisor;

import static dev.supervisor.Waiting.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Runners.BlocksInStartup;
import dev.supervisor.Runners.CrashesOnSignal;
import dev.supervisor.Runners.FailsBeforeReady;
import dev.supervisor.Runners.ReadyOnSignal;
import dev.supervisor.Runners.RemovesItsOwnRow;
import dev.supervisor.Runners.RunsUntilStopped;
import dev.supervisor.Runners.SlowToStop;
import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testing.ManualClock;
import dev.supervisor.testsupport.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The core operations: start, stop, get, keys, and what each throws. */
@Timeout(30)
class SupervisorTest {

    private final InMemoryTable<String, Runner> table = new InMemoryTable<>();
    private final ManualClock clock = new ManualClock();
    private final Supervisor<String, Runner> supervisor = Supervisor.builder(table).clock(clock).build();

    /**
     * Closes even when a test failed while a process still holds a stop (a SlowToStop never
     * released): the clock is advanced past the stop timeout until close() has interrupted it.
     */
    @AfterEach
    void closeSupervisor() throws Exception {
        Future<?> closing = Runners.THREADS.submit(supervisor::close);
        for (int round = 0; round < 30; round++) {
            try {
                closing.get(1, TimeUnit.SECONDS);
                return;
            } catch (TimeoutException stillStopping) {
                clock.advance(Supervisor.DEFAULT_STOP_TIMEOUT);
            }
        }
        closing.get(1, TimeUnit.SECONDS);
    }

    @Test
    void startGetStopAndKeys() {
        supervisor.launch();
        RunsUntilStopped worker = new RunsUntilStopped("a");
        table.signalling(false).put("a", worker);

        Runner started = supervisor.start("a");

        assertThat(started).isSameAs(worker);
        assertThat(supervisor.get("a")).isSameAs(worker);
        assertThat(supervisor.keys()).containsExactly("a");
        assertThat(supervisor.status("a")).hasValueSatisfying(s -> assertThat(s.state()).isEqualTo(KeyState.RUNNING));

        supervisor.stop("a");

        assertThat(worker.stopped.getCount()).isZero();
        assertThat(supervisor.keys()).isEmpty();
        assertThatThrownBy(() -> supervisor.get("a")).isInstanceOf(ProcessNotFoundException.class);
        assertThat(supervisor.status("a")).hasValueSatisfying(s -> {
            assertThat(s.state()).isEqualTo(KeyState.STOPPED);
            assertThat(s.lastExit()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(ProcessExit.Kind.STOPPED));
        });
    }

    @Test
    void stoppedKeyWithRowIsStartedAgainByTheNextPassOnly() {
        supervisor.launch();
        RunsUntilStopped worker = new RunsUntilStopped("a");
        table.signalling(false).put("a", worker);
        supervisor.start("a");
        supervisor.stop("a");
        assertThat(supervisor.keys()).isEmpty();

        clock.advance(Supervisor.DEFAULT_RECONCILE_INTERVAL);

        // keys() lists the attempt from its creation, before its thread has called run(): wait for the run itself
        await().atMost(WAIT).until(() -> worker.runs() == 2);
        assertThat(supervisor.keys()).contains("a");
    }

    @Test
    void twoConcurrentStartsOfOneKeyOneWinsTheOtherIsRefused() throws Exception {
        supervisor.launch();
        table.signalling(false).put("a", new RunsUntilStopped("a"));
        CyclicBarrier barrier = new CyclicBarrier(2);
        List<CompletableFuture<Object>> outcomes = new ArrayList<>();
        ExecutorService threads = Runners.THREADS;
        for (int i = 0; i < 2; i++) {
            outcomes.add(CompletableFuture.supplyAsync(() -> {
                try {
                    barrier.await(5, TimeUnit.SECONDS);
                    return supervisor.start("a");
                } catch (RuntimeException e) {
                    return e;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, threads));
        }

        List<Object> results = new ArrayList<>();
        for (CompletableFuture<Object> outcome : outcomes) {
            results.add(outcome.get(Waits.SHORT.toSeconds(), TimeUnit.SECONDS));
        }

        assertThat(results).filteredOn(r -> r instanceof Runner).hasSize(1);
        assertThat(results).filteredOn(r -> r instanceof ProcessExistsException).hasSize(1)
                .first().satisfies(e -> assertThat(((ProcessExistsException) e).key()).isEqualTo("a"));
    }

    @Test
    void startOfARunningKeyIsRefusedNamingTheKey() {
        supervisor.launch();
        table.put("a", new RunsUntilStopped("a"));
        await().atMost(WAIT).until(() -> supervisor.keys().contains("a"));

        assertThatThrownBy(() -> supervisor.start("a"))
                .isInstanceOf(ProcessExistsException.class)
                .hasMessageContaining("a");
    }

    @Test
    void missingKeysAreReportedByEachOperation() {
        supervisor.launch();

        assertThatThrownBy(() -> supervisor.start("nope"))
                .isInstanceOfSatisfying(ProcessNotFoundException.class, e -> assertThat(e.key()).isEqualTo("nope"))
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> supervisor.stop("nope")).isInstanceOf(ProcessNotFoundException.class);
        assertThatThrownBy(() -> supervisor.get("nope")).isInstanceOf(ProcessNotFoundException.class);
        assertThatThrownBy(() -> supervisor.reset("nope")).isInstanceOf(ProcessNotFoundException.class);
        assertThat(supervisor.status("nope")).isEmpty();
        assertThat(supervisor.statuses()).isEmpty();
    }

    @Test
    void getOfAStartingProcessSaysItIsNotRunning() throws Exception {
        supervisor.launch();
        ReadyOnSignal slow = new ReadyOnSignal();
        table.signalling(false).put("a", slow);
        CompletableFuture<Runner> start = CompletableFuture.supplyAsync(() -> supervisor.start("a"), Runners.THREADS);
        await().atMost(WAIT).until(() -> supervisor.keys().contains("a"));

        assertThatThrownBy(() -> supervisor.get("a"))
                .isInstanceOfSatisfying(ProcessNotRunningException.class, e -> assertThat(e.key()).isEqualTo("a"))
                .hasMessageContaining("STARTING");

        slow.proceed.countDown();
        assertThat(start.get(Waits.SHORT.toSeconds(), TimeUnit.SECONDS)).isSameAs(slow);
        assertThat(supervisor.get("a")).isSameAs(slow);
    }

    @Test
    void runnerFailingBeforeReadyGivesStartExceptionWithTheCause() {
        supervisor.launch();
        IllegalArgumentException cause = new IllegalArgumentException("bad config");
        table.signalling(false).put("a", new FailsBeforeReady(cause));

        assertThatThrownBy(() -> supervisor.start("a"))
                .isInstanceOfSatisfying(ProcessStartException.class, e -> assertThat(e.key()).isEqualTo("a"))
                .hasCause(cause)
                .hasMessageContaining("a");
        assertThat(supervisor.status("a")).hasValueSatisfying(s -> assertThat(s.lastExit())
                .hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(ProcessExit.Kind.START_FAILED)));
    }

    @Test
    void runnerReturningBeforeReadyIsAFailedStart() {
        supervisor.launch();
        table.signalling(false).put("a", context -> { });

        assertThatThrownBy(() -> supervisor.start("a"))
                .isInstanceOf(ProcessStartException.class)
                .hasMessageContaining("before calling ready()");
    }

    @Test
    void startTimeoutFailsTheStartAndInterruptsTheRunner() throws Exception {
        try (Supervisor<String, Runner> timed = Supervisor.builder(table).clock(clock)
                .startTimeout(Duration.ofSeconds(5)).build()) {
            timed.launch();
            BlocksInStartup stuck = new BlocksInStartup();
            table.signalling(false).put("a", stuck);
            CompletableFuture<Runner> start = CompletableFuture.supplyAsync(() -> timed.start("a"), Runners.THREADS);
            assertThat(stuck.entered.await(Waits.SHORT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            clock.awaitPendingTimers(2, WAIT); // reconcile interval + start timeout

            clock.advance(Duration.ofSeconds(5));

            assertThatThrownBy(() -> start.get(Waits.SHORT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ProcessStartException.class).hasMessageContaining("start timeout");
            assertThat(stuck.interrupted.await(Waits.SHORT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void failedProcessIsRestartedWithAFreshValueFromItsRow() throws Exception {
        supervisor.launch();
        CrashesOnSignal first = new CrashesOnSignal();
        table.signalling(false).put("a", first);
        supervisor.start("a");
        RunsUntilStopped second = new RunsUntilStopped("a2");
        table.put("a", second);

        first.crash.countDown();
        await().atMost(WAIT).until(() -> supervisor.status("a").orElseThrow().state() == KeyState.BACKOFF);
        clock.advance(RestartPolicy.DEFAULT_MAX_BACKOFF);

        await().atMost(WAIT).until(() -> supervisor.keys().contains("a") && supervisor.status("a").orElseThrow().state() == KeyState.RUNNING);
        assertThat(supervisor.get("a")).isSameAs(second);
        assertThat(supervisor.status("a").orElseThrow().lastExit())
                .hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(ProcessExit.Kind.FAILED));
    }

    @Test
    void processThatDeletesItsOwnRowIsNotRestarted() {
        supervisor.launch();
        RemovesItsOwnRow worker = new RemovesItsOwnRow(table);
        table.put("a", worker);

        await().atMost(WAIT).until(() -> supervisor.status("a").isEmpty() && !table.contains("a"));
        clock.advance(Duration.ofHours(1));

        assertThat(supervisor.keys()).isEmpty();
        assertThat(worker.runs()).isEqualTo(1);
    }

    @Test
    void deletedRowIsRetiredGracefully() throws Exception {
        supervisor.launch();
        RunsUntilStopped worker = new RunsUntilStopped("a");
        table.put("a", worker);
        await().atMost(WAIT).until(() -> supervisor.keys().contains("a"));

        table.remove("a");

        assertThat(worker.stopped.await(Waits.SHORT.toSeconds(), TimeUnit.SECONDS)).as("stopped gracefully").isTrue();
        await().atMost(WAIT).until(() -> supervisor.status("a").isEmpty());
        assertThat(supervisor.keys()).isEmpty();
    }

    @Test
    void aStoppingProcessStillCountsAndItsSuccessorWaitsForIt() throws Exception {
        supervisor.launch();
        SlowToStop worker = new SlowToStop();
        table.put("a", worker);
        // RUNNING, not merely listed: a row deleted while the process is still STARTING cancels it at once
        // (interrupted, never STOPPING), and the key would be gone before the assertions below
        await().atMost(WAIT).until(() -> supervisor.status("a").map(s -> s.state() == KeyState.RUNNING).orElse(false));

        table.remove("a");
        assertThat(worker.stopSeen.await(Waits.SHORT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        table.put("a", worker); // back while the old process is still stopping

        assertThat(supervisor.keys()).containsExactly("a");
        assertThat(supervisor.status("a").orElseThrow().state()).isEqualTo(KeyState.STOPPING);
        assertThatThrownBy(() -> supervisor.start("a")).isInstanceOf(ProcessExistsException.class);
        assertThat(worker.runs()).isEqualTo(1);

        worker.release.countDown();

        await().atMost(WAIT).until(() -> worker.runs() == 2);
        await().atMost(WAIT).until(() -> supervisor.status("a").map(s -> s.state() == KeyState.RUNNING).orElse(false));
    }

    @Test
    void notRunningBeforeLaunchAndAfterClose() {
        table.put("a", new RunsUntilStopped("a"));

        assertThatThrownBy(() -> supervisor.start("a"))
                .isInstanceOf(NotRunningException.class).hasMessageContaining("NEW");

        supervisor.launch();
        supervisor.close();

        assertThatThrownBy(() -> supervisor.start("a"))
                .isInstanceOf(NotRunningException.class).hasMessageContaining("CLOSED");
        assertThat(supervisor.keys()).isEmpty();
    }

    @Test
    void launchTwiceIsRefused() {
        supervisor.launch();
        assertThatThrownBy(supervisor::launch).isInstanceOf(IllegalStateException.class).hasMessageContaining("launch");
    }

    @Test
    void closeIsIdempotentAndWorksBeforeLaunch() {
        supervisor.close();
        supervisor.close();
        assertThatThrownBy(supervisor::launch).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void runClosesEvenWhenTheBodyThrows() {
        table.put("a", new RunsUntilStopped("a"));
        assertThatThrownBy(() -> supervisor.run(() -> {
            assertThat(supervisor.keys()).containsExactly("a");
            throw new IllegalStateException("body failed");
        })).hasMessage("body failed");
        assertThat(supervisor.keys()).isEmpty();
        assertThatThrownBy(() -> supervisor.start("a")).isInstanceOf(NotRunningException.class);
    }

    @Test
    void processCanStopItselfWithoutWaitingForItself() throws Exception {
        supervisor.launch();
        CountDownLatch done = new CountDownLatch(1);
        table.signalling(false).put("a", context -> {
            context.ready();
            supervisor.stop("a");
            done.countDown();
            context.awaitStop();
        });
        supervisor.start("a");
        assertThat(done.await(Waits.SHORT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).until(() -> supervisor.keys().isEmpty());
    }
}
