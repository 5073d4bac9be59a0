package dev.supervisor;

import static dev.supervisor.Waiting.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Runners.BlocksInStartup;
import dev.supervisor.Runners.IgnoresStop;
import dev.supervisor.Runners.ReadyOnSignal;
import dev.supervisor.Runners.RunsUntilStopped;
import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testing.ManualClock;
import dev.supervisor.testsupport.Waits;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** launch() restoring the table's processes, and close() stopping them. */
@Timeout(30)
class LaunchAndCloseTest {

    private final InMemoryTable<String, Runner> table = new InMemoryTable<>();
    private final ManualClock clock = new ManualClock();

    @Test
    void launchWaitsForRestoredStarts() throws Exception {
        List<ReadyOnSignal> workers = IntStream.range(0, 3).mapToObj(i -> new ReadyOnSignal()).toList();
        for (int i = 0; i < workers.size(); i++) {
            table.put("k" + i, workers.get(i));
        }
        try (Supervisor<String, Runner> supervisor = Supervisor.builder(table).clock(clock).build()) {
            CompletableFuture<Void> launch = CompletableFuture.runAsync(supervisor::launch, Runners.THREADS);
            clock.awaitPendingTimers(1, WAIT); // the initialWait bound is armed: the pass is done
            await().atMost(WAIT).until(() -> supervisor.keys().size() == 3);
            assertThat(launch).isNotDone();

            workers.forEach(w -> w.proceed.countDown());

            launch.get(Waits.SHORT.toSeconds(), TimeUnit.SECONDS);
            assertThat(supervisor.statuses().values()).extracting(ProcessStatus::state).containsOnly(KeyState.RUNNING);
        }
    }

    @Test
    void launchGivesUpWaitingAfterInitialWait() throws Exception {
        BlocksInStartup stuck = new BlocksInStartup();
        table.put("stuck", stuck).put("fine", new RunsUntilStopped("fine"));
        try (Supervisor<String, Runner> supervisor = Supervisor.builder(table).clock(clock)
                .initialWait(Duration.ofSeconds(3)).build()) {
            CompletableFuture<Void> launch = CompletableFuture.runAsync(supervisor::launch, Runners.THREADS);
            clock.awaitPendingTimers(1, WAIT);
            assertThat(stuck.entered.await(Waits.SHORT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(launch).isNotDone();

            clock.advance(Duration.ofSeconds(3));

            launch.get(Waits.SHORT.toSeconds(), TimeUnit.SECONDS);
            assertThat(supervisor.status("stuck").orElseThrow().state()).isEqualTo(KeyState.STARTING);
            // launch stopped waiting at the clock's bound, not when "fine" became ready: it may still be starting
            await().atMost(WAIT).until(() -> supervisor.status("fine").orElseThrow().state() == KeyState.RUNNING);
        }
    }

    @Test
    void closeCancelsAProcessStuckInStartup() throws Exception {
        BlocksInStartup stuck = new BlocksInStartup();
        table.put("stuck", stuck);
        Supervisor<String, Runner> supervisor = Supervisor.builder(table).clock(clock).initialWait(Duration.ZERO).build();
        supervisor.launch();
        assertThat(stuck.entered.await(Waits.SHORT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        supervisor.close();

        assertThat(stuck.interrupted.getCount()).as("interrupted at once, no graceful path").isZero();
        assertThat(supervisor.keys()).isEmpty();
        assertThat(supervisor.status("stuck").orElseThrow().lastExit())
                .hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(ProcessExit.Kind.CANCELLED));
    }

    @Test
    void closeStopsGracefullyAndLeavesNoThreadBehind() throws Exception {
        List<RunsUntilStopped> workers = IntStream.range(0, 20).mapToObj(i -> new RunsUntilStopped("k" + i)).toList();
        List<Thread> processThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
        workers.forEach(w -> table.put(w.name, context -> {
            processThreads.add(Thread.currentThread());
            w.run(context);
        }));
        Supervisor<String, Runner> supervisor = Supervisor.builder(table).clock(clock).build();
        supervisor.launch();
        assertThat(supervisor.keys()).hasSize(20);

        supervisor.close();

        assertThat(workers).allSatisfy(w -> assertThat(w.stopped.getCount()).isZero());
        assertThat(processThreads).hasSize(20).allSatisfy(t -> assertThat(t.isAlive()).isFalse());
        assertThat(supervisor.keys()).isEmpty();
        assertThat(supervisor.statuses().values()).allSatisfy(s -> {
            assertThat(s.state()).isEqualTo(KeyState.STOPPED);
            assertThat(s.lastExit().orElseThrow().kind()).isEqualTo(ProcessExit.Kind.STOPPED);
        });
        assertThat(clock.pendingTimers()).as("no timer left armed").isZero();
    }

    @Test
    void closeInterruptsAProcessThatIgnoresTheGracefulStopAfterStopTimeout() throws Exception {
        IgnoresStop stubborn = new IgnoresStop();
        table.put("stubborn", stubborn);
        Supervisor<String, Runner> supervisor = Supervisor.builder(table).clock(clock)
                .stopTimeout(Duration.ofSeconds(15)).build();
        supervisor.launch();

        CompletableFuture<Void> close = CompletableFuture.runAsync(supervisor::close, Runners.THREADS);
        assertThat(stubborn.stopSeen.await(Waits.SHORT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        clock.awaitPendingTimers(1, WAIT); // the stop timeout
        assertThat(close).isNotDone();
        assertThat(stubborn.interrupted.getCount()).isOne();

        clock.advance(Duration.ofSeconds(15));

        close.get(Waits.SHORT.toSeconds(), TimeUnit.SECONDS);
        assertThat(stubborn.interrupted.getCount()).isZero();
        assertThat(supervisor.keys()).isEmpty();
    }

    @Test
    void concurrentCloseCallsAllWaitForTheEnd() throws Exception {
        IgnoresStop stubborn = new IgnoresStop();
        table.put("stubborn", stubborn);
        Supervisor<String, Runner> supervisor = Supervisor.builder(table).clock(clock).build();
        supervisor.launch();
        CompletableFuture<Void> first = CompletableFuture.runAsync(supervisor::close, Runners.THREADS);
        assertThat(stubborn.stopSeen.await(Waits.SHORT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> second = CompletableFuture.runAsync(supervisor::close, Runners.THREADS);
        clock.awaitPendingTimers(1, WAIT);
        assertThat(second).isNotDone();

        clock.advance(Supervisor.DEFAULT_STOP_TIMEOUT);

        first.get(Waits.SHORT.toSeconds(), TimeUnit.SECONDS);
        second.get(Waits.SHORT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void isLaunchedAndLastPassFollowTheLifecycle() {
        table.put("a", new RunsUntilStopped("a"));
        Supervisor<String, Runner> supervisor = Supervisor.builder(table).clock(clock).build();
        assertThat(supervisor.isLaunched()).isFalse();
        assertThat(supervisor.lastPass()).isEmpty();

        supervisor.launch();
        assertThat(supervisor.isLaunched()).isTrue();
        assertThat(supervisor.lastPass()).hasValueSatisfying(report -> {
            assertThat(report.complete()).isTrue();
            assertThat(report.rowsSeen()).isEqualTo(1);
        });

        supervisor.close();
        assertThat(supervisor.isLaunched()).isFalse();
    }

    @Test
    void aWorkerReadsItsKeyAsTheKeyType() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        InMemoryTable<String, Runner> own = new InMemoryTable<>();
        own.put("typed", context -> {
            seen.complete(context.key(String.class));
            context.ready();
            context.awaitStop();
        });
        try (Supervisor<String, Runner> supervisor = Supervisor.builder(own).clock(clock).build()) {
            supervisor.launch();
            assertThat(seen.get(Waits.SHORT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("typed");
        }
    }
}
