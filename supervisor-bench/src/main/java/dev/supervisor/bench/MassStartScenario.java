package dev.supervisor.bench;

import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.Table;
import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.testing.InMemoryTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 3: N rows present at {@code launch()}; the time from calling launch() until every
 * process is RUNNING (each counts itself down right after {@code ready()} returns), and the heap
 * each idle process costs: used heap after full GCs with all N idle, minus the same before launch
 * (table, pool and supervisor already built), divided by N. The baseline is N plain virtual
 * threads blocked on a latch, measured the same way. The in-memory table separates the engine's
 * cost from the database's. After that, the time {@code close()} takes to stop all N. At
 * 1,000,000 only the in-memory table and PostgreSQL run: H2 is embedded, so its page cache would
 * count as the supervisor's heap.
 */
final class MassStartScenario implements Scenario {

    static final Goal TIME_GOAL = Goal.below(5, "100k: < 5 s");
    static final Goal HEAP_GOAL = Goal.below(2048, "100k: < 2 KB each");
    static final Goal MILLION_TIME_GOAL = Goal.below(10, "1M: < 10 s");
    static final Goal MILLION_HEAP_GOAL = Goal.below(2048, "1M: < 2 KB each");
    /** From this size on, only the in-memory table and PostgreSQL run (H2 keeps its pages in this JVM's heap). */
    static final int MILLION = 1_000_000;
    private static final long TIMEOUT_MINUTES = 10;

    @Override
    public int number() {
        return 3;
    }

    @Override
    public String title() {
        return "mass start";
    }

    /** What one launch cost. */
    record Outcome(double seconds, double bytesEach, double closeSeconds) {
    }

    @Override
    public void run(BenchRun run) throws Exception {
        for (int rows : run.options().massStartRows()) {
            String n = String.format(Locale.ROOT, "N=%,d", rows);
            run.progress("3 mass start: %s bare virtual threads (baseline)", n);
            Outcome bare = bareThreads(rows);
            run.progress("  all blocked in %.2f s, %,.0f B each", bare.seconds(), bare.bytesEach());

            List<Store> stores = new ArrayList<>(run.databases());
            stores.remove(Store.MARIADB); // measured on H2 and PostgreSQL; MariaDB runs scenarios 1, 2 and 5
            if (rows >= MILLION) {
                stores.remove(Store.H2);
            }
            stores.add(Store.IN_MEMORY);
            for (Store store : stores) {
                run.progress("3 mass start: %s rows at launch(), %s", n, store.title());
                Outcome supervised = supervised(store, rows);
                run.progress("  all RUNNING in %.2f s, %,.0f B each; close() %.2f s", supervised.seconds(),
                        supervised.bytesEach(), supervised.closeSeconds());
                // the goals are for 100,000 and 1,000,000; smaller N carry fixed costs
                Goal time = rows == 100_000 ? TIME_GOAL : rows == MILLION ? MILLION_TIME_GOAL : null;
                Goal heap = rows == 100_000 ? HEAP_GOAL : rows == MILLION ? MILLION_HEAP_GOAL : null;
                run.results().add(label(), n + " at launch(): time until all RUNNING", store, "", supervised.seconds(),
                        Unit.SECONDS, time);
                run.results().add(label(), n + ": heap per idle supervised process", store, "", supervised.bytesEach(),
                        Unit.BYTES, heap);
                run.results().add(label(), n + ": close() stopping all", store, supervised.closeSeconds(), Unit.SECONDS);
            }
            run.results().add(label(), n + " bare virtual threads (baseline): time until all blocked", Store.IN_MEMORY,
                    bare.seconds(), Unit.SECONDS);
            run.results().add(label(), n + " bare virtual threads (baseline): heap per blocked thread", Store.IN_MEMORY,
                    bare.bytesEach(), Unit.BYTES);
        }
    }

    private static Outcome bareThreads(int count) throws InterruptedException {
        CountDownLatch blocked = new CountDownLatch(count);
        CountDownLatch release = new CountDownLatch(1);
        Thread[] threads = new Thread[count];
        long before = Heap.usedAfterGc();
        long began = System.nanoTime();
        for (int i = 0; i < count; i++) {
            threads[i] = Thread.ofVirtual().start(() -> {
                blocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        await(blocked, "bare threads");
        double seconds = (System.nanoTime() - began) / 1e9;
        long after = Heap.usedAfterGc();
        release.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        return new Outcome(seconds, (after - before) / (double) count, Double.NaN);
    }

    private static Outcome supervised(Store store, int rows) throws Exception {
        CountDownLatch running = new CountDownLatch(rows);
        Runner idle = new BenchProcesses.Idle(running);
        if (store == Store.IN_MEMORY) {
            InMemoryTable<String, Runner> table = new InMemoryTable<>();
            for (int i = 1; i <= rows; i++) {
                table.put(BenchDatabase.key("m", i), idle);
            }
            return launch(table, rows, running);
        }
        try (BenchDatabase db = BenchDatabase.open(store);
             JdbcTable<String, Runner> table = JdbcTable.builder(db.database(), row -> idle).build()) {
            db.insertRows("m", rows, "idle");
            return launch(table, rows, running);
        }
    }

    private static Outcome launch(Table<String, Runner> table, int rows, CountDownLatch running) throws InterruptedException {
        Supervisor<String, Runner> supervisor = Supervisor.builder(table).name("bench-mass").build();
        try {
            long before = Heap.usedAfterGc();
            long began = System.nanoTime();
            supervisor.launch();
            await(running, rows + " supervised processes");
            double seconds = (System.nanoTime() - began) / 1e9;
            long after = Heap.usedAfterGc();
            long closing = System.nanoTime();
            supervisor.close();
            double closeSeconds = (System.nanoTime() - closing) / 1e9;
            return new Outcome(seconds, (after - before) / (double) rows, closeSeconds);
        } finally {
            supervisor.close(); // idempotent: does nothing more after the timed close, stops all on a failure
        }
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            throw new IllegalStateException(what + ": " + latch.getCount() + " still not running after " + TIMEOUT_MINUTES
                    + " minutes");
        }
    }
}
