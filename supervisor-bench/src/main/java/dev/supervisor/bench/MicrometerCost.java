package dev.supervisor.bench;

import dev.supervisor.KeyState;
import dev.supervisor.PassReport;
import dev.supervisor.ProcessExit;
import dev.supervisor.ProcessStatus;
import dev.supervisor.SupervisorListener;
import dev.supervisor.micrometer.SupervisorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Scenario 4's addendum: what {@link SupervisorMetrics} costs per listener event. Two figures:
 * <ol>
 *   <li>in the crash loop (in memory), the JVM CPU per restart with the binder registered (and
 *       bound to a {@link SimpleMeterRegistry}) minus the same without any listener, run back to
 *       back, divided by the events per restart: this includes the engine's dispatch of events to
 *       a listener's thread, which a listener-less engine does not do at all. Noisy on a busy
 *       machine: read it as an order of magnitude;
 *   <li>the binder alone: its listener methods called in a loop on one thread with a realistic
 *       sequence of statuses (STARTING, RUNNING, STOPPING, STOPPED with an exit, BACKOFF) over
 *       1,000 keys, after a warm-up: the thread's CPU nanoseconds per event.
 * </ol>
 */
final class MicrometerCost {

    private static final int LOOP_KEYS = 1_000;

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
        double nanos = binderAlone();
        run.progress("  the binder alone: %.0f ns per event", nanos);
        run.results().add(label, "Micrometer binder alone, per event", Store.IN_MEMORY, nanos / 1_000, Unit.MICROS);
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

    /** Nanoseconds per event of the binder's listener methods, on one thread. */
    private static double binderAlone() {
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
        SupervisorMetrics metrics = new SupervisorMetrics("bench-loop");
        metrics.bindTo(new SimpleMeterRegistry());
        for (int round = 0; round < 100; round++) { // warm-up: let the JIT compile it
            cycle.forEach(metrics::statusChanged);
        }
        int rounds = 100;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long began = threads.getCurrentThreadCpuTime(); // CPU time: a busy machine's preemptions do not count
        for (int round = 0; round < rounds; round++) {
            cycle.forEach(metrics::statusChanged);
        }
        return (threads.getCurrentThreadCpuTime() - began) / (double) (rounds * cycle.size());
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
