package dev.supervisor.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.SchedulableInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.supervisor.ProcessStatus;
import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.SupervisorListener;
import dev.supervisor.jdbc.JdbcTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 5: the supervisor next to db-scheduler on the same database in the same run, for
 * short-lived work.
 *
 * <p><b>A short-lived execution.</b> For the supervisor: a row whose runner reports that it began
 * (the trivial work), calls {@code ready()}, retires through {@code context.retire()} (the
 * supervisor deletes its row, in one statement with others retiring at the same moment) and returns; it is done when the supervisor has retired the key (listener {@code retired}). For
 * db-scheduler: a one-time task instance whose handler reports that it began; it is done when
 * db-scheduler has removed it and fires {@code onExecutionComplete}.
 *
 * <p><b>Latency</b>: from just before the work is submitted until the user code begins, one at a
 * time (each waits for the previous to be done, then pauses 0 to 20 ms), by two paths each:
 * another program (a plain SQL {@code INSERT} on its own connection; for db-scheduler a separate
 * {@code SchedulerClient}, which cannot wake the scheduler), and the library's own API in the same
 * JVM ({@code JdbcTable.put}, which signals the supervisor directly; db-scheduler's
 * {@code Scheduler.schedule} with immediate execution).
 *
 * <p><b>Throughput</b>: M executions submitted in one statement (a multi-row {@code INSERT}; for
 * db-scheduler {@code scheduleBatch} on the scheduler), timed until all M are done: M / seconds.
 */
final class DbSchedulerScenario implements Scenario {

    /** db-scheduler's worker threads: well above the 2 cores, for work that only waits on the database. */
    static final int SCHEDULER_THREADS = 16;
    /** db-scheduler's polling interval: the same period as the supervisor's H2 revision check. */
    static final Duration SCHEDULER_POLLING_INTERVAL = Duration.ofMillis(20);
    /** db-scheduler's own HikariCP pool: a connection for every worker, plus the poller and client. */
    static final int SCHEDULER_POOL_SIZE = SCHEDULER_THREADS + 4;
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    /** Issue 16's goal: the supervisor at least 1.5 times db-scheduler's throughput in the same run. */
    static final Goal THROUGHPUT_GOAL = Goal.atLeast(1.5, "≥ 1.5x");

    @Override
    public int number() {
        return 5;
    }

    @Override
    public String title() {
        return "vs db-scheduler";
    }

    /** db-scheduler's configuration on {@code store}, as the README states it. */
    static String schedulerConfiguration(Store store) {
        return String.format(Locale.ROOT, "db-scheduler on %s: threads(%d), pollingInterval(%d ms), enableImmediateExecution(), %s,"
                        + " its own HikariCP pool of %d connections, table scheduled_tasks with the documented indexes",
                store.title(), SCHEDULER_THREADS, SCHEDULER_POLLING_INTERVAL.toMillis(),
                store == Store.POSTGRESQL ? "pollUsingLockAndFetch(0.5, 1.0) (SELECT ... FOR UPDATE SKIP LOCKED)"
                        : "the default fetch-then-lock polling (db-scheduler has no lock-and-fetch support for "
                                + store.title() + ")",
                SCHEDULER_POOL_SIZE);
    }

    @Override
    public void run(BenchRun run) throws Exception {
        int samples = run.options().schedulerLatencySamples();
        int warmup = run.options().latencyWarmup();
        int executions = run.options().schedulerExecutions();
        for (Store store : run.databases()) {
            run.results().note(schedulerConfiguration(store));
            try (BenchDatabase db = BenchDatabase.open(store)) {
                db.executeScript(resource(store == Store.MARIADB ? "/db-scheduler-tables-mariadb.sql" : "/db-scheduler-tables.sql"));
                run.progress("5 vs db-scheduler: %s, supervisor: %d latency samples per path, %,d executions", store.title(),
                        samples, executions);
                Side supervisor = supervisorSide(run, db, warmup, samples, executions);
                run.progress("5 vs db-scheduler: %s, db-scheduler: %d latency samples per path, %,d executions",
                        store.title(), samples, executions);
                Side scheduler = schedulerSide(run, store, db, warmup, samples, executions);

                record(run, store, "supervisor", "plain INSERT by another program", supervisor.fromAnotherProgram(),
                        "supervisor, INSERT");
                record(run, store, "db-scheduler", "SchedulerClient of another program", scheduler.fromAnotherProgram(),
                        "db-scheduler, client");
                record(run, store, "supervisor", "JdbcTable.put in the same JVM", supervisor.sameJvm(), "supervisor, put");
                record(run, store, "db-scheduler", "Scheduler.schedule, immediate execution", scheduler.sameJvm(),
                        "db-scheduler, schedule");
                String m = String.format(Locale.ROOT, "%,d short-lived executions at once, per second", executions);
                run.results().add(label(), "supervisor: " + m, store, supervisor.perSecond(), Unit.PER_SECOND);
                run.results().add(label(), "db-scheduler: " + m, store, scheduler.perSecond(), Unit.PER_SECOND);
                run.results().add(label(), "supervisor: table statements per short-lived execution (all its reads and"
                        + " writes, change checks included)", store, supervisor.statementsEach(), Unit.AVERAGE_COUNT);
                run.results().add(label(), "short-lived executions per second, supervisor / db-scheduler", store, "",
                        supervisor.perSecond() / scheduler.perSecond(), Unit.RATIO, THROUGHPUT_GOAL);
            }
        }
    }

    /**
     * One implementation's numbers.
     *
     * @param fromAnotherProgram latencies when another program submits
     * @param sameJvm latencies through the library's API in the same JVM
     * @param perSecond throughput of M executions submitted at once
     */
    record Side(long[] fromAnotherProgram, long[] sameJvm, double perSecond, double statementsEach) {
    }

    // ---------------------------------------------------------------- the supervisor

    private static Side supervisorSide(BenchRun run, BenchDatabase db, int warmup, int samples, int executions)
            throws Exception {
        Probe probe = new Probe();
        Semaphore retired = new Semaphore(0);
        Runner shortLived = new BenchProcesses.SelfRetiring(probe);
        SupervisorListener<String> retirements = new SupervisorListener<>() {
            @Override
            public void retired(ProcessStatus<String> last) {
                retired.release();
            }
        };
        try (JdbcTable<String, Runner> table = JdbcTable.builder(db.database(), row -> shortLived).build();
             Supervisor<String, Runner> supervisor = Supervisor.builder(table).name("bench-short").listener(retirements).build();
             BenchDatabase.RowWriter writer = db.rowWriter()) {
            supervisor.launch();

            Submit sql = key -> writer.insert(key, "short");
            latency(probe, retired, "ws", warmup, sql);
            long[] viaSql = latency(probe, retired, "s", samples, sql);
            Submit put = key -> table.put(key, "short");
            latency(probe, retired, "wp", warmup, put);
            long[] viaPut = latency(probe, retired, "p", samples, put);

            long statementsBefore = table.statements().executed();
            long began = System.nanoTime();
            db.insertRows("t", executions, "short");
            acquire(retired, executions, "supervisor retirements");
            double perSecond = executions / ((System.nanoTime() - began) / 1e9);
            double statementsEach = (table.statements().executed() - statementsBefore) / (double) executions;
            run.progress("  %,.0f executions/s, %.2f table statements each", perSecond, statementsEach);
            return new Side(viaSql, viaPut, perSecond, statementsEach);
        }
    }

    // ---------------------------------------------------------------- db-scheduler

    private static Side schedulerSide(BenchRun run, Store store, BenchDatabase db, int warmup, int samples, int executions)
            throws Exception {
        Probe probe = new Probe();
        Semaphore completed = new Semaphore(0);
        OneTimeTask<Void> task = Tasks.oneTime("bench-short").execute((instance, context) -> probe.started(instance.getId()));
        try (HikariDataSource pool = schedulerPool(db)) {
            SchedulerBuilder builder = Scheduler.create(pool, task)
                    .threads(SCHEDULER_THREADS)
                    .pollingInterval(SCHEDULER_POLLING_INTERVAL)
                    .enableImmediateExecution()
                    .shutdownMaxWait(Duration.ofSeconds(1))
                    .addSchedulerListener(new AbstractSchedulerListener() {
                        @Override
                        public void onExecutionComplete(ExecutionComplete complete) {
                            completed.release();
                        }
                    });
            if (store == Store.POSTGRESQL) {
                builder.pollUsingLockAndFetch(0.5, 1.0);
            }
            Scheduler scheduler = builder.build();
            scheduler.start();
            try {
                SchedulerClient client = SchedulerClient.Builder.create(pool, task).build();
                Submit viaClient = id -> client.schedule(SchedulableInstance.of(task.instance(id), Instant.now()));
                latency(probe, completed, "wc", warmup, viaClient);
                long[] other = latency(probe, completed, "c", samples, viaClient);
                Submit viaScheduler = id -> scheduler.schedule(SchedulableInstance.of(task.instance(id), Instant.now()));
                latency(probe, completed, "wi", warmup, viaScheduler);
                long[] own = latency(probe, completed, "i", samples, viaScheduler);

                List<TaskInstance<?>> batch = new ArrayList<>(executions);
                for (int i = 1; i <= executions; i++) {
                    batch.add(task.instance(BenchDatabase.key("t", i)));
                }
                long began = System.nanoTime();
                scheduler.scheduleBatch(batch, Instant.now());
                acquire(completed, executions, "db-scheduler completions");
                double perSecond = executions / ((System.nanoTime() - began) / 1e9);
                run.progress("  %,.0f executions/s", perSecond);
                return new Side(other, own, perSecond, Double.NaN);
            } finally {
                scheduler.stop();
            }
        }
    }

    private static HikariDataSource schedulerPool(BenchDatabase db) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("db-scheduler");
        config.setJdbcUrl(db.url());
        if (db.store() == Store.MARIADB) {
            config.setCatalog(db.schema()); // MariaDB's schemas are databases
        } else {
            config.setSchema(db.schema());
        }
        config.setMaximumPoolSize(SCHEDULER_POOL_SIZE);
        return new HikariDataSource(config);
    }

    // ---------------------------------------------------------------- shared

    /** Submits the work for one key (or task instance id). */
    @FunctionalInterface
    private interface Submit {
        void submit(String key) throws Exception;
    }

    /** One at a time: submit, wait for the code to begin (recorded) and to be done, pause. */
    private static long[] latency(Probe probe, Semaphore done, String prefix, int samples, Submit submit) throws Exception {
        long[] nanos = new long[samples];
        for (int i = 0; i < samples; i++) {
            String key = BenchDatabase.key(prefix, i);
            nanos[i] = Probe.timeUntil(probe.expectStart(key), "the start of " + key, () -> submit.submit(key));
            acquire(done, 1, "the end of " + key);
            ChangeLatencyScenario.pause();
        }
        return nanos;
    }

    private void record(BenchRun run, Store store, String implementation, String path, long[] nanos, String series) {
        LatencyStats stats = run.results().addLatencies(label(), implementation + ": submitted to code begun, "
                + path + " (p50 / p99 / max)", store, store.title() + ": " + series, nanos, null);
        run.progress("  %s, %s: p50 %.2f / p99 %.2f / max %.2f ms", implementation, path, stats.p50(), stats.p99(),
                stats.max());
    }

    private static void acquire(Semaphore semaphore, int permits, String what) throws InterruptedException {
        if (!semaphore.tryAcquire(permits, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(what + ": only " + semaphore.availablePermits() + " of " + permits
                    + " within " + TIMEOUT);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DbSchedulerScenario.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
