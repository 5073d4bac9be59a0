package dev.supervisor.bench;

import dev.supervisor.ChangeListener;
import dev.supervisor.Subscription;
import dev.supervisor.jdbc.JdbcTable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;

/**
 * Part of scenario 2 on H2: what the change signal of an unchanged table of {@value #ROWS} rows
 * costs, side by side, with the default poll interval: the shipped table, checked through its
 * trigger's change log ({@code H2ChangeTrigger}; this JVM hosts the database, so writes wake the
 * check and the poll is a once-a-second safety net), and a table without the trigger, checked by
 * its row count and highest revision every 20 ms. The figures are the CPU time of the table's
 * checking thread per check (its statements: one per check of an idle table) and per second.
 */
final class ChangeCheckCost {

    static final int ROWS = 10_000;
    private static final String ROW = "H2 change signal, unchanged 10,000 rows: CPU per check / per second";

    private ChangeCheckCost() {
    }

    static void measure(BenchRun run, BenchDatabase db, String scenario) throws InterruptedException {
        db.insertRows("c", ROWS, "p");
        db.executeScript("""
                CREATE TABLE plain_jobs (name VARCHAR(512) PRIMARY KEY, payload VARCHAR,
                    revision BIGINT DEFAULT NEXT VALUE FOR supervisor_revision_seq ON UPDATE NEXT VALUE FOR supervisor_revision_seq NOT NULL);
                CREATE INDEX plain_jobs_revision ON plain_jobs (revision);
                INSERT INTO plain_jobs (name, payload) SELECT name, payload FROM supervisor_processes;
                """);
        Duration window = run.options().checkCostWindow();
        try (JdbcTable<String, String> logged = JdbcTable.builder(db.database(), row -> row.payload()).build()) {
            Cost cost = cost(logged, window);
            run.results().add(scenario, ROW, db.store(), "change log (trigger), per check", cost.perCheck(), Unit.MICROS, null);
            run.results().add(scenario, ROW, db.store(), "change log (trigger), per second", cost.perSecond(), Unit.MICROS, null);
            run.progress("  change signal, change log (trigger): %s", cost);
        }
        try (JdbcTable<String, String> counted = JdbcTable.builder(db.database(), row -> row.payload()).table("plain_jobs")
                .build()) {
            Cost cost = cost(counted, window);
            run.results().add(scenario, ROW, db.store(), "count and max revision (no trigger), per check", cost.perCheck(),
                    Unit.MICROS, null);
            run.results().add(scenario, ROW, db.store(), "count and max revision (no trigger), per second", cost.perSecond(),
                    Unit.MICROS, null);
            run.progress("  change signal, count and max revision (no trigger): %s", cost);
        }
    }

    /** CPU time of the checking thread, in microseconds. */
    record Cost(double perCheck, double perSecond, long checks) {
        @Override
        public String toString() {
            return String.format("%.1f µs CPU per check, %.1f µs per second (%d checks)", perCheck, perSecond, checks);
        }
    }

    private static Cost cost(JdbcTable<String, String> table, Duration window) throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (Subscription ignored = table.subscribe(new ChangeListener<>() {
            @Override
            public void rowChanged(String key) {
            }

            @Override
            public void tableChanged() {
            }
        })) {
            Thread.sleep(window.toMillis()); // warmup: class loading, JIT, the first check
            long thread = checkingThread(table);
            long cpu = threads.getThreadCpuTime(thread);
            long statements = table.statements().executed();
            Thread.sleep(window.toMillis()); // the measured window: checks run on their own thread meanwhile
            long checks = table.statements().executed() - statements;
            double micros = (threads.getThreadCpuTime(thread) - cpu) / 1_000.0;
            return new Cost(micros / Math.max(1, checks), micros / (window.toNanos() / 1e9), checks);
        }
    }

    private static long checkingThread(JdbcTable<?, ?> table) {
        String name = "supervisor-poll-" + table.table();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds())).filter(info -> info != null
                && info.getThreadName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no thread " + name)).getThreadId();
    }
}
