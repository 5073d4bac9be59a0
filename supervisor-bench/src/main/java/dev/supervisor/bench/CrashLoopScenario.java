package dev.supervisor.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.supervisor.RestartPolicy;
import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.SupervisorListener;
import dev.supervisor.Table;
import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.jdbc.StatusWriter;
import dev.supervisor.testing.InMemoryTable;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Scenario 4: K keys whose processes fail right after {@code ready()}, all at once, for a fixed
 * window, under the default {@link RestartPolicy} (500 ms doubling to 30 s, ±20 % jitter). Reports
 * restarts per second next to what the backoff schedule allows in that window (simulated with the
 * policy's own {@code delay} function), and the JVM's CPU time over the window as a percentage of
 * one core. On the databases the status writer is attached, as a deployment would have it, so its
 * writes count too; the PostgreSQL server's own CPU is not counted (another process).
 *
 * <p>The goal "bounded by the backoff, not by the CPU" read as two checks: the restart rate stays
 * within ±20 % of the schedule's (never faster: backoff works; not slower: the CPU keeps up), and
 * the JVM uses under half of one core (far from saturating even a single thread). The CPU time per
 * restart is reported as well, to compare stores.
 */
final class CrashLoopScenario implements Scenario {

    static final RestartPolicy POLICY = RestartPolicy.DEFAULT;
    static final double MAX_CPU_PERCENT = 50;

    @Override
    public int number() {
        return 4;
    }

    @Override
    public String title() {
        return "crash loop";
    }

    @Override
    public void run(BenchRun run) throws Exception {
        int keys = run.options().crashKeys();
        Duration window = run.options().crashWindow();
        double allowed = scheduledRestarts(POLICY, keys, window) / (window.toNanos() / 1e9);
        String k = String.format(Locale.ROOT, "%,d keys failing for %d s", keys, window.toSeconds());
        Goal rateGoal = Goal.within(0.8 * allowed, 1.2 * allowed,
                String.format(Locale.ROOT, "backoff allows ≈ %,.0f/s (±20 %%)", allowed));
        Goal cpuGoal = Goal.below(MAX_CPU_PERCENT, String.format(Locale.ROOT, "< %.0f %% of a core", MAX_CPU_PERCENT));

        List<Store> stores = new ArrayList<>(run.databases());
        stores.remove(Store.MARIADB); // measured on H2 and PostgreSQL; MariaDB runs scenarios 1, 2 and 5
        stores.add(Store.IN_MEMORY);
        for (Store store : stores) {
            run.progress("4 crash loop: %s, %s (the schedule allows %,.0f restarts/s)", k, store.title(), allowed);
            Outcome outcome = crash(store, keys, window);
            run.progress("  %,.0f restarts/s, CPU %.1f %% of a core", outcome.restartsPerSecond(), outcome.cpuPercent());
            run.results().add(label(), k + ": restarts/s", store, "", outcome.restartsPerSecond(), Unit.PER_SECOND, rateGoal);
            run.results().add(label(), k + ": JVM CPU used", store, "", outcome.cpuPercent(), Unit.PERCENT, cpuGoal);
            run.results().add(label(), k + ": JVM CPU per restart", store, outcome.cpuPercent() * 10 / outcome.restartsPerSecond(),
                    Unit.MILLIS);
        }
        MicrometerCost.measure(run, label(), k, keys, window);
    }

    /** What one crash window cost. */
    record Outcome(double restartsPerSecond, double cpuPercent) {
    }

    private static Outcome crash(Store store, int keys, Duration window) throws Exception {
        LongAdder attempts = new LongAdder();
        Runner crashing = new BenchProcesses.Crashing(attempts);
        if (store == Store.IN_MEMORY) {
            InMemoryTable<String, Runner> table = new InMemoryTable<>();
            for (int i = 1; i <= keys; i++) {
                table.put(BenchDatabase.key("c", i), crashing);
            }
            return observe(table, null, keys, window, attempts);
        }
        try (BenchDatabase db = BenchDatabase.open(store);
             JdbcTable<String, Runner> table = JdbcTable.builder(db.database(), row -> crashing).build();
             StatusWriter<String> status = StatusWriter.<String>builder(db.database()).build()) {
            db.insertRows("c", keys, "crash");
            return observe(table, status, keys, window, attempts);
        }
    }

    /** The crash loop on an in-memory table, with {@code listener} registered (none when null). */
    static Outcome crashInMemory(int keys, Duration window, SupervisorListener<? super String> listener)
            throws InterruptedException {
        LongAdder attempts = new LongAdder();
        Runner crashing = new BenchProcesses.Crashing(attempts);
        InMemoryTable<String, Runner> table = new InMemoryTable<>();
        for (int i = 1; i <= keys; i++) {
            table.put(BenchDatabase.key("c", i), crashing);
        }
        return observe(table, listener, keys, window, attempts);
    }

    private static Outcome observe(Table<String, Runner> table, SupervisorListener<? super String> status, int keys,
            Duration window, LongAdder attempts) throws InterruptedException {
        Supervisor.Builder<String, Runner> builder = Supervisor.builder(table).name("bench-crash").restartPolicy(POLICY)
                .initialWait(Duration.ZERO);
        if (status != null) {
            builder.listener(status);
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Supervisor<String, Runner> supervisor = builder.build()) {
            long cpuBefore = os.getProcessCpuTime();
            long began = System.nanoTime();
            supervisor.launch();
            Thread.sleep(window.toMillis()); // the observation window itself, not a synchronisation
            long restarts = attempts.sum() - keys;
            long cpu = os.getProcessCpuTime() - cpuBefore;
            double elapsed = (System.nanoTime() - began) / 1e9;
            return new Outcome(restarts / elapsed, cpu / 1e9 / elapsed * 100);
        }
    }

    /**
     * How many restarts the policy's schedule allows {@code keys} keys within {@code window} when
     * every attempt fails at once: per key, count the restarts whose summed delays fit in the
     * window, with the jitter drawn at random (a fixed seed, so the figure is stable).
     */
    static double scheduledRestarts(RestartPolicy policy, int keys, Duration window) {
        SplittableRandom random = new SplittableRandom(42);
        long windowNanos = window.toNanos();
        long restarts = 0;
        int samples = Math.max(keys, 10_000);
        for (int key = 0; key < samples; key++) {
            long at = 0;
            for (int n = 1; ; n++) {
                at += policy.delay(n, random.nextDouble()).toNanos();
                if (at > windowNanos) {
                    break;
                }
                restarts++;
            }
        }
        return restarts * (double) keys / samples;
    }
}
