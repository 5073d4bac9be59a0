package dev.supervisor.bench;

import dev.supervisor.ChangeListener;
import dev.supervisor.Subscription;
import dev.supervisor.jdbc.JdbcTable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;

/**
 * Part of scenario 2 on H2: what one change check costs on an unchanged table of {@value #ROWS}
 * rows, side by side: the shipped table, checked through its trigger's change log
 * ({@code H2ChangeTrigger}: one read of the log after the highest id seen, and the row count), and a
 * table without the trigger, checked by its row count and highest revision. Each runs with a
 * 1 ms poll for a window; the figure is the CPU time of the table's checking thread divided by
 * the statements it ran (one per check on an idle table).
 */
final class ChangeCheckCost {

    static final int ROWS = 10_000;
    private static final Duration POLL = Duration.ofMillis(1);
    private static final String ROW = "H2 change check, unchanged 10,000 rows: CPU per check";

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
        try (JdbcTable<String, String> logged = JdbcTable.builder(db.database(), row -> row.payload()).pollInterval(POLL).build()) {
            double micros = cpuPerCheck(logged, window);
            run.results().add(scenario, ROW, db.store(), "change log (trigger)", micros, Unit.MICROS, null);
            run.progress("  change check, change log (trigger): %.1f µs CPU per check", micros);
        }
        try (JdbcTable<String, String> counted = JdbcTable.builder(db.database(), row -> row.payload()).table("plain_jobs")
                .pollInterval(POLL).build()) {
            double micros = cpuPerCheck(counted, window);
            run.results().add(scenario, ROW, db.store(), "count and max revision (no trigger)", micros, Unit.MICROS, null);
            run.progress("  change check, count and max revision (no trigger): %.1f µs CPU per check", micros);
        }
    }

    private static double cpuPerCheck(JdbcTable<String, String> table, Duration window) throws InterruptedException {
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
            return (threads.getThreadCpuTime(thread) - cpu) / 1_000.0 / Math.max(1, checks);
        }
    }

    private static long checkingThread(JdbcTable<?, ?> table) {
        String name = "supervisor-h2-poll-" + table.table();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds())).filter(info -> info != null
                && info.getThreadName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no thread " + name)).getThreadId();
    }
}
