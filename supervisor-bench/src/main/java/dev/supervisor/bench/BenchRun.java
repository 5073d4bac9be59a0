package dev.supervisor.bench;

import java.util.List;
import java.util.Locale;

/**
 * One run of the harness: its options, the databases it can use and the results so far.
 *
 * @param options what to run and how big
 * @param databases H2, and PostgreSQL when reachable
 * @param results what has been measured
 * @param startNanos when the run began, for progress lines
 */
record BenchRun(BenchOptions options, List<Store> databases, Results results, long startNanos) {

    /** Prints a progress line, prefixed with the time since the run began. */
    void progress(String format, Object... args) {
        long seconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
        System.out.printf(Locale.ROOT, "[%02d:%02d] %s%n", seconds / 60, seconds % 60, String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
