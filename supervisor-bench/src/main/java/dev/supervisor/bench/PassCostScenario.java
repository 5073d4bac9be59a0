package dev.supervisor.bench;

import dev.supervisor.bench.ReconcilePassBenchmark.Implementation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Scenario 1: one full reconcile pass over N rows, every key already running, against a plain
 * JDBC keyset scan of the same table in the same run. Runs {@link ReconcilePassBenchmark} under
 * JMH (one forked JVM per trial in the full run), one JMH run per store and size so that progress
 * shows as it goes; JMH's own report goes to {@code jmh-<store>-<rows>.txt}.
 *
 * <p>Reported: the best of the measured iterations of each implementation's average pass time;
 * the ratio supervisor / raw JDBC (goal at most 1.5); and the engine's own cost per row, the pass
 * minus the same cursor on a platform thread (where the pass runs). The in-memory table has no JDBC
 * baseline; it shows the engine's cost without a database. Iterations are timed (JMH average-time
 * mode), so small tables get as much warmup as large ones. The best iteration rather than the
 * mean: other load on the machine only ever adds time, and one busy second should not decide a
 * comparison (on a quiet machine the two agree).
 */
final class PassCostScenario implements Scenario {

    static final double GOAL_RATIO = 1.5;
    /** Goal of the incremental pass on an unchanged table: at most one round trip plus this. */
    static final double GOAL_INCREMENTAL_MARGIN_MS = 1.0;

    @Override
    public int number() {
        return 1;
    }

    @Override
    public String title() {
        return "reconcile pass";
    }

    @Override
    public void run(BenchRun run) throws RunnerException {
        BenchOptions options = run.options();
        List<Store> stores = new ArrayList<>(run.databases());
        stores.add(Store.IN_MEMORY);
        for (int rows : options.passRows()) {
            for (Store store : stores) {
                List<Implementation> implementations = store.isDatabase() ? List.of(Implementation.values())
                        : List.of(Implementation.TABLE_CURSOR, Implementation.SUPERVISOR_PASS);
                run.progress("1 reconcile pass: %s, N=%,d (JMH: %d warmup + %d measured iterations of %d ms for each of %s)",
                        store.title(), rows, options.passWarmups(), options.passMeasurements(),
                        options.passIteration().toMillis(), implementations);
                Map<Implementation, Double> ms = measure(options, store, rows, implementations);
                record(run, store, rows, ms);
            }
        }
    }

    private void record(BenchRun run, Store store, int rows, Map<Implementation, Double> ms) {
        Results results = run.results();
        String n = String.format(Locale.ROOT, "N=%,d", rows);
        double pass = ms.get(Implementation.SUPERVISOR_PASS);
        if (store.isDatabase()) {
            results.add(label(), n + ": raw JDBC keyset scan (baseline)", store, ms.get(Implementation.RAW_JDBC_KEYSET), Unit.MILLIS);
        }
        results.add(label(), n + ": table cursor alone", store, ms.get(Implementation.TABLE_CURSOR), Unit.MILLIS);
        Implementation cursorLikeThePass = Implementation.TABLE_CURSOR; // the reconcile loop reads on a platform thread
        if (store.isDatabase()) {
            results.add(label(), n + ": table cursor on a virtual thread", store,
                    ms.get(Implementation.TABLE_CURSOR_ON_VIRTUAL_THREAD), Unit.MILLIS);
        }
        results.add(label(), n + ": supervisor pass, all N running", store, pass, Unit.MILLIS);
        double engineMicrosPerRow = (pass - ms.get(cursorLikeThePass)) * 1000 / rows;
        results.add(label(), n + ": engine's own cost per row (pass − cursor)", store, engineMicrosPerRow, Unit.MICROS);
        if (store.isDatabase()) {
            double ratio = pass / ms.get(Implementation.RAW_JDBC_KEYSET);
            results.add(label(), n + ": supervisor pass / raw scan", store, "", ratio, Unit.RATIO,
                    Goal.atMost(GOAL_RATIO, "≤ 1.5x"));
            run.progress("  raw %.1f ms, cursor %.1f ms (%.1f on a virtual thread), pass %.1f ms: %.2fx raw",
                    ms.get(Implementation.RAW_JDBC_KEYSET), ms.get(Implementation.TABLE_CURSOR),
                    ms.get(Implementation.TABLE_CURSOR_ON_VIRTUAL_THREAD), pass, ratio);
            double roundTrip = ms.get(Implementation.RAW_ROUND_TRIP);
            double incremental = ms.get(Implementation.INCREMENTAL_PASS);
            results.add(label(), n + ": one round trip, SELECT 1 (baseline)", store, roundTrip, Unit.MILLIS);
            results.add(label(), n + ": incremental pass, table unchanged", store, "", incremental, Unit.MILLIS,
                    Goal.atMost(roundTrip + GOAL_INCREMENTAL_MARGIN_MS, "≤ 1 round trip + 1 ms"));
            run.progress("  incremental pass on the unchanged table %.3f ms (one round trip %.3f ms)", incremental, roundTrip);
        } else {
            run.progress("  cursor %.1f ms, pass %.1f ms: the engine costs %.2f µs per row",
                    ms.get(Implementation.TABLE_CURSOR), pass, engineMicrosPerRow);
        }
    }

    private static Map<Implementation, Double> measure(BenchOptions options, Store store, int rows,
            List<Implementation> implementations) throws RunnerException {
        Options jmh = new OptionsBuilder()
                .include(Pattern.quote(ReconcilePassBenchmark.class.getName()) + "\\.pass$")
                .param("store", store.name())
                .param("rows", Integer.toString(rows))
                .param("implementation", implementations.stream().map(Enum::name).toArray(String[]::new))
                .warmupIterations(options.passWarmups())
                .warmupTime(TimeValue.milliseconds(options.passIteration().toMillis()))
                .measurementIterations(options.passMeasurements())
                .measurementTime(TimeValue.milliseconds(options.passIteration().toMillis()))
                .forks(options.passForks())
                .jvmArgsAppend("-Xms1g", "-Xmx3g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                .shouldFailOnError(true)
                .verbosity(VerboseMode.NORMAL)
                .output(options.out().resolve("jmh-" + store.name().toLowerCase(Locale.ROOT) + "-" + rows + ".txt").toString())
                .build();
        Collection<RunResult> results = new Runner(jmh).run();
        Map<Implementation, Double> best = new EnumMap<>(Implementation.class);
        for (RunResult result : results) {
            Implementation implementation = Implementation.valueOf(result.getParams().getParam("implementation"));
            best.put(implementation, result.getPrimaryResult().getStatistics().getMin());
        }
        if (!best.keySet().containsAll(implementations)) {
            throw new IllegalStateException("JMH returned results for " + best.keySet() + " only");
        }
        return best;
    }
}
