package dev.supervisor.bench;

import java.util.Arrays;

/** Percentiles of a set of latencies, from nanoseconds, in milliseconds (nearest-rank). */
record LatencyStats(int count, double p50, double p90, double p99, double max) {

    static LatencyStats of(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new LatencyStats(sorted.length, millis(percentile(sorted, 50)), millis(percentile(sorted, 90)),
                millis(percentile(sorted, 99)), millis(sorted[sorted.length - 1]));
    }

    /** The nearest-rank percentile of sorted samples. */
    static long percentile(long[] sorted, double percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
