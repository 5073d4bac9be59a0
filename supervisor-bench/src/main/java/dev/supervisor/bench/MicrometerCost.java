package dev.supervisor.bench;

import dev.supervisor.KeyState;
import dev.supervisor.PassReport;
import dev.supervisor.ProcessExit;
import dev.supervisor.ProcessStatus;
import dev.supervisor.SupervisorListener;
import dev.supervisor.micrometer.SupervisorMetrics;
import dev.supervisor.micrometer.SupervisorObservations;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Scenario 4's addendum: what {@link SupervisorMetrics} costs per listener event, and what
 * {@link SupervisorObservations} (into timers, as Spring Boot registers them) costs per attempt,
 * each against the same crash loop without any listener, in one run. Figures:
 * <ol>
 *   <li>in the crash loop (in memory), the JVM CPU per restart with the binder registered (and
 *       bound to a {@link SimpleMeterRegistry}) minus the same without any listener, run back to
 *       back, divided by the events per restart: this includes the engine's dispatch of events to
 *       a listener's thread, which a listener-less engine does not do at all. Noisy on a busy
 *       machine: read it as an order of magnitude;
 *   <li>the binder alone: its listener methods called in a loop on one thread with a realistic
 *       sequence of statuses (STARTING, RUNNING, STOPPING, STOPPED with an exit, BACKOFF) over
 *       1,000 keys, after a warm-up: the thread's CPU nanoseconds per event;
 *   <li>the same two for the observations, per attempt (one restart is one attempt).
 * </ol>
 */
final class MicrometerCost {

    private static final int LOOP_KEYS = 1_000;
    /** Rounds of {@link #alone}'s sequence, to warm up and then to measure; a few with {@code --quick}. */
    private static final int ROUNDS = 100;
    private static final int QUICK_ROUNDS = 5;
    /** The status changes of one attempt in {@link #alone}'s sequence. */
    private static final int EVENTS_PER_ATTEMPT = 5;

    private MicrometerCost() {
    }

    static void measure(BenchRun run, String label, String k, int keys, Duration window) throws InterruptedException {
        run.progress("4 crash loop: %s, in memory, without a listener and with the Micrometer binder", k);
        CrashLoopScenario.Outcome bare = CrashLoopScenario.crashInMemory(keys, window, null);
        LongAdder events = new LongAdder();
        SupervisorMetrics metrics = new SupervisorMetrics("bench-crash");
        metrics.bindTo(new SimpleMeterRegistry());
        CrashLoopScenario.Outcome metered = CrashLoopScenario.crashInMemory(keys, window, counting(metrics, events));
        double restarts = metered.restartsPerSecond() * window.toNanos() / 1e9;
        double eventsPerRestart = events.sum() / Math.max(1, restarts);
        double cpuPerRestartBare = bare.cpuPercent() * 10 / bare.restartsPerSecond(); // ms
        double cpuPerRestartMetered = metered.cpuPercent() * 10 / metered.restartsPerSecond();
        double microsPerEvent = (cpuPerRestartMetered - cpuPerRestartBare) * 1_000 / eventsPerRestart;
        run.progress("  CPU per restart %.3f ms bare, %.3f ms with Micrometer (%.1f events per restart): %.2f µs per event",
                cpuPerRestartBare, cpuPerRestartMetered, eventsPerRestart, microsPerEvent);
        run.results().add(label, k + ": JVM CPU per restart, no listener (back to back)", Store.IN_MEMORY, cpuPerRestartBare,
                Unit.MILLIS);
        run.results().add(label, k + ": JVM CPU per restart, Micrometer binder", Store.IN_MEMORY, cpuPerRestartMetered,
                Unit.MILLIS);
        run.results().add(label, k + ": Micrometer cost per event, in the crash loop (incl. dispatch)", Store.IN_MEMORY,
                microsPerEvent, Unit.MICROS);
        int rounds = run.options().quick() ? QUICK_ROUNDS : ROUNDS;
        double nanos = alone(metrics(), 1, rounds);
        run.progress("  the binder alone: %.0f ns per event", nanos);
        run.results().add(label, "Micrometer binder alone, per event", Store.IN_MEMORY, nanos / 1_000, Unit.MICROS);

        run.progress("4 crash loop: %s, in memory, with the observations of attempts and passes (timers)", k);
        CrashLoopScenario.Outcome observed = CrashLoopScenario.crashInMemory(keys, window, observations("bench-crash"));
        double cpuPerRestartObserved = observed.cpuPercent() * 10 / observed.restartsPerSecond();
        double microsPerAttempt = (cpuPerRestartObserved - cpuPerRestartBare) * 1_000;
        run.progress("  CPU per restart %.3f ms bare, %.3f ms with the observations: %.2f µs per attempt",
                cpuPerRestartBare, cpuPerRestartObserved, microsPerAttempt);
        run.results().add(label, k + ": JVM CPU per restart, observations (timers)", Store.IN_MEMORY, cpuPerRestartObserved,
                Unit.MILLIS);
        run.results().add(label, k + ": observations cost per attempt, in the crash loop (incl. dispatch)", Store.IN_MEMORY,
                microsPerAttempt, Unit.MICROS);
        double perAttempt = alone(observations("bench-loop"), EVENTS_PER_ATTEMPT, rounds);
        run.progress("  the observations alone: %.0f ns per attempt", perAttempt);
        run.results().add(label, "observations alone (timers), per attempt", Store.IN_MEMORY, perAttempt / 1_000, Unit.MICROS);
    }

    /** The listener of Micrometer's observations of attempts and passes, into timers, as Spring Boot registers them. */
    private static SupervisorObservations observations(String name) {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
        return new SupervisorObservations(name, registry);
    }

    private static SupervisorMetrics metrics() {
        SupervisorMetrics metrics = new SupervisorMetrics("bench-loop");
        metrics.bindTo(new SimpleMeterRegistry());
        return metrics;
    }

    private static SupervisorListener<Object> counting(SupervisorMetrics metrics, LongAdder events) {
        return new SupervisorListener<>() {
            @Override
            public void statusChanged(ProcessStatus<Object> status) {
                events.increment();
                metrics.statusChanged(status);
            }

            @Override
            public void retired(ProcessStatus<Object> last) {
                events.increment();
                metrics.retired(last);
            }

            @Override
            public void passCompleted(PassReport<Object> report) {
                events.increment();
                metrics.passCompleted(report);
            }
        };
    }

    /**
     * Nanoseconds of one thread's CPU per {@code per} events of {@code listener}'s methods, called in
     * a loop with a realistic sequence of statuses (an attempt's five: STARTING, RUNNING, STOPPING,
     * STOPPED with its exit, BACKOFF) over 1,000 keys, {@code rounds} times after as many to warm up.
     */
    private static double alone(SupervisorListener<Object> listener, int per, int rounds) {
        List<ProcessStatus<Object>> cycle = new ArrayList<>();
        Instant at = Instant.EPOCH;
        for (int key = 0; key < LOOP_KEYS; key++) {
            String k = "k" + key;
            for (int attempt = 1; attempt <= 3; attempt++) {
                ProcessExit previous = attempt == 1 ? null : exit(attempt - 1, at);
                cycle.add(status(k, KeyState.STARTING, attempt, previous, at));
                cycle.add(status(k, KeyState.RUNNING, attempt, previous, at));
                cycle.add(status(k, KeyState.STOPPING, attempt, previous, at));
                cycle.add(status(k, KeyState.STOPPED, attempt, exit(attempt, at), at));
                cycle.add(status(k, KeyState.BACKOFF, attempt, exit(attempt, at), at));
            }
        }
        for (int round = 0; round < rounds; round++) { // warm-up: let the JIT compile it
            cycle.forEach(listener::statusChanged);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long began = threads.getCurrentThreadCpuTime(); // CPU time: a busy machine's preemptions do not count
        for (int round = 0; round < rounds; round++) {
            cycle.forEach(listener::statusChanged);
        }
        return (threads.getCurrentThreadCpuTime() - began) * (double) per / (rounds * cycle.size());
    }

    private static ProcessExit exit(int attempt, Instant at) {
        return new ProcessExit(ProcessExit.Kind.FAILED, Optional.of(new IllegalStateException("bench")), attempt, at,
                Duration.ZERO);
    }

    private static ProcessStatus<Object> status(String key, KeyState state, int attempt, ProcessExit lastExit, Instant at) {
        return new ProcessStatus<>(key, state, attempt, attempt - 1, Optional.of(at),
                state == KeyState.RUNNING ? Optional.of(at) : Optional.empty(),
                state == KeyState.BACKOFF ? Optional.of(at.plusSeconds(1)) : Optional.empty(), Optional.ofNullable(lastExit));
    }
}
