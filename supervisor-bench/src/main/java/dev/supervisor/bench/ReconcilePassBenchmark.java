package dev.supervisor.bench;

import dev.supervisor.PassReport;
import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.SupervisorListener;
import dev.supervisor.Table;
import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testing.ManualClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Scenario 1: the time of one full read of an N-row desired-state table, by the implementation
 * under test, with the raw JDBC baseline in the same enum (so one run yields the comparison).
 *
 * <p>Each invocation is one whole pass (the score is the average pass time over each iteration's
 * passes): N rows in keyset pages of
 * {@value JdbcTable#DEFAULT_PAGE_SIZE}, from the same HikariCP pool (the baseline borrows a
 * connection per page, the table's cursor keeps one for its pages); the in-memory table ({@link Store#IN_MEMORY}) separates the engine's own cost.
 * For {@link Implementation#SUPERVISOR_PASS} every key already has a RUNNING
 * process (N idle virtual threads), so the pass reads and checks every row and starts nothing; it
 * is asked for with {@code reconcileNow()} and ends when the listener receives its
 * {@link PassReport}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ReconcilePassBenchmark {

    /** What reads the table. */
    public enum Implementation {
        /**
         * Baseline: the same keyset query in plain JDBC, reading the seven columns the table's cursor
         * reads for each row (key, payload, revision, paused, restart requests, group and position),
         * a pooled connection per page (databases only).
         */
        RAW_JDBC_KEYSET,
        /**
         * The table's cursor alone ({@code JdbcTable}: keyset pages on one connection), keys read,
         * values not, on the benchmark's platform thread, as the supervisor's reconcile loop reads.
         */
        TABLE_CURSOR,
        /** The same cursor, iterated on a virtual thread (what reading from a process would cost). */
        TABLE_CURSOR_ON_VIRTUAL_THREAD,
        /** A full reconcile pass of a launched supervisor whose N processes are all RUNNING. */
        SUPERVISOR_PASS,
        /**
         * The periodic pass of the same supervisor on a table that did not change: it reads only the
         * rows changed since the passes before (none), so its cost does not grow with N (databases only).
         */
        INCREMENTAL_PASS,
        /** Baseline for the incremental pass: one trivial query ({@code SELECT 1}) on a pooled connection. */
        RAW_ROUND_TRIP
    }

    /** How often the incremental benchmark's supervisor passes (its clock is advanced by this). */
    private static final Duration PERIOD = Duration.ofMinutes(1);

    private static final int PAGE = JdbcTable.DEFAULT_PAGE_SIZE;
    /** Every column of the shipped table that the table's cursor reads for a row. */
    private static final String COLUMNS = "name, payload, revision, paused, restart_requests, group_name, group_position";
    private static final String FIRST_PAGE = "SELECT " + COLUMNS + " FROM supervisor_processes ORDER BY name LIMIT ?";
    private static final String NEXT_PAGE =
            "SELECT " + COLUMNS + " FROM supervisor_processes WHERE name > ? ORDER BY name LIMIT ?";

    @Param({"H2", "POSTGRESQL", "MARIADB", "IN_MEMORY"})
    public Store store;

    @Param({"10000", "100000"})
    public int rows;

    @Param({"RAW_JDBC_KEYSET", "TABLE_CURSOR", "TABLE_CURSOR_ON_VIRTUAL_THREAD", "SUPERVISOR_PASS", "INCREMENTAL_PASS",
            "RAW_ROUND_TRIP"})
    public Implementation implementation;

    private BenchDatabase db;
    private DataSource dataSource;
    private JdbcTable<String, Runner> jdbcTable;
    private Table<String, Runner> table;
    private Supervisor<String, Runner> supervisor;
    private final PassWaiter passes = new PassWaiter();
    private final ManualClock clock = new ManualClock();

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(rows);
        BenchProcesses.Idle idle = new BenchProcesses.Idle(running);
        if (store == Store.IN_MEMORY) {
            if (implementation == Implementation.RAW_JDBC_KEYSET) {
                throw new IllegalArgumentException("the in-memory table has no JDBC baseline");
            }
            InMemoryTable<String, Runner> memory = new InMemoryTable<>();
            for (int i = 1; i <= rows; i++) {
                memory.put(BenchDatabase.key("p", i), idle);
            }
            table = memory;
        } else {
            db = BenchDatabase.open(store);
            db.insertRows("p", rows, "idle");
            dataSource = db.database().dataSource();
            if (implementation == Implementation.RAW_JDBC_KEYSET || implementation == Implementation.RAW_ROUND_TRIP) {
                return;
            }
            jdbcTable = JdbcTable.builder(db.database(), row -> (Runner) idle).build();
            table = jdbcTable;
        }
        if (implementation == Implementation.SUPERVISOR_PASS) {
            supervisor = Supervisor.builder(table)
                    .name("bench-pass")
                    .reconcileInterval(Duration.ofHours(1)) // only the passes we ask for
                    .initialWait(Duration.ofMinutes(5))
                    .listener(passes)
                    .build();
            supervisor.launch();
            if (!running.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("only " + (rows - running.getCount()) + " of " + rows + " processes ran");
            }
            supervisorPass(); // settles: the change signal's first check may have asked for a pass too
        }
        if (implementation == Implementation.INCREMENTAL_PASS) {
            if (store == Store.IN_MEMORY) {
                throw new IllegalArgumentException("the in-memory table does not list changed rows");
            }
            supervisor = Supervisor.builder(table)
                    .name("bench-incremental")
                    .clock(clock) // its periodic pass runs when the benchmark advances this clock
                    .reconcileInterval(PERIOD)
                    .resyncInterval(Duration.ofDays(3650)) // no full pass but launch's
                    .initialWait(Duration.ofMinutes(5))
                    .listener(passes)
                    .build();
            supervisor.launch();
            if (!running.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("only " + (rows - running.getCount()) + " of " + rows + " processes ran");
            }
            incrementalPass(); // the watermark lags one pass: from the second on, nothing is read
            incrementalPass();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (supervisor != null) {
            supervisor.close();
        }
        if (jdbcTable != null) {
            jdbcTable.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Benchmark
    public int pass(Blackhole blackhole) throws Exception {
        int seen = switch (implementation) {
            case RAW_JDBC_KEYSET -> rawKeysetScan(blackhole);
            case TABLE_CURSOR -> cursorScan(blackhole);
            case TABLE_CURSOR_ON_VIRTUAL_THREAD -> onVirtualThread(() -> cursorScan(blackhole));
            case SUPERVISOR_PASS -> supervisorPass();
            case INCREMENTAL_PASS -> incrementalPass();
            case RAW_ROUND_TRIP -> roundTrip();
        };
        int expected = implementation == Implementation.INCREMENTAL_PASS || implementation == Implementation.RAW_ROUND_TRIP
                ? 0 : rows;
        if (seen != expected) {
            throw new IllegalStateException(implementation + " saw " + seen + " rows, expected " + rows);
        }
        return seen;
    }

    private int rawKeysetScan(Blackhole blackhole) throws SQLException {
        String last = null;
        int seen = 0;
        while (true) {
            int page = 0;
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement query = connection.prepareStatement(last == null ? FIRST_PAGE : NEXT_PAGE)) {
                if (last == null) {
                    query.setInt(1, PAGE);
                } else {
                    query.setString(1, last);
                    query.setInt(2, PAGE);
                }
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        last = rs.getString(1);
                        blackhole.consume(rs.getString(2));
                        blackhole.consume(rs.getLong(3));
                        blackhole.consume(rs.getBoolean(4));
                        blackhole.consume(rs.getLong(5));
                        blackhole.consume(rs.getString(6));
                        blackhole.consume(rs.getLong(7));
                        page++;
                    }
                }
            }
            seen += page;
            if (page < PAGE) {
                return seen;
            }
        }
    }

    private int cursorScan(Blackhole blackhole) {
        int seen = 0;
        try (var cursor = table.cursor()) {
            while (cursor.next()) {
                blackhole.consume(cursor.key());
                seen++;
            }
        }
        return seen;
    }

    private static int onVirtualThread(IntSupplier body) throws InterruptedException {
        int[] result = new int[1];
        Thread.ofVirtual().start(() -> result[0] = body.getAsInt()).join(); // join publishes result
        return result[0];
    }

    private int supervisorPass() throws InterruptedException {
        Instant asked = Instant.now();
        supervisor.reconcileNow();
        PassReport<String> report = passes.firstStartedSince(asked);
        if (!report.complete() || report.started() != 0) {
            throw new IllegalStateException("unexpected pass: " + report);
        }
        return report.rowsSeen();
    }

    /**
     * Advances the supervisor's clock by its interval and waits for the periodic pass that this
     * starts (on the supervisor's clock, at or after the new time); its rows seen. A full pass
     * asked for meanwhile (the H2 change check's first signal) takes the periodic pass's turn, so
     * after a while without one the clock is advanced again.
     */
    private int incrementalPass() throws InterruptedException {
        PassReport<String> report = null;
        while (report == null) {
            clock.advance(PERIOD);
            report = passes.incrementalStartedSince(clock.now(), Duration.ofSeconds(5));
        }
        if (!report.complete() || report.started() != 0) {
            throw new IllegalStateException("unexpected pass: " + report);
        }
        return report.rowsSeen();
    }

    /** One {@code SELECT 1} on a pooled connection; 0 rows of the table. */
    private int roundTrip() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT 1");
             ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getInt(1) - 1;
        }
    }

    /** Hands each pass report to the benchmark thread. */
    private static final class PassWaiter implements SupervisorListener<String> {
        private final LinkedBlockingQueue<PassReport<String>> reports = new LinkedBlockingQueue<>();

        @Override
        public void passCompleted(PassReport<String> report) {
            reports.add(report);
        }

        /**
         * The report of the first incremental pass that began at or after {@code since} (on the
         * supervisor's clock), or null if none came within {@code patience}; others are dropped.
         */
        PassReport<String> incrementalStartedSince(Instant since, Duration patience) throws InterruptedException {
            long deadline = System.nanoTime() + patience.toNanos();
            while (true) {
                PassReport<String> report = reports.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (report == null) {
                    return null;
                }
                if (report.incremental() && !report.startedAt().isBefore(since)) {
                    return report;
                }
            }
        }

        /** The report of the first pass that began at or after {@code asked}; earlier ones are dropped. */
        PassReport<String> firstStartedSince(Instant asked) throws InterruptedException {
            while (true) {
                PassReport<String> report = reports.poll(5, TimeUnit.MINUTES);
                if (report == null) {
                    throw new IllegalStateException("no pass completed within 5 minutes");
                }
                if (!report.startedAt().isBefore(asked)) {
                    return report;
                }
            }
        }
    }
}
