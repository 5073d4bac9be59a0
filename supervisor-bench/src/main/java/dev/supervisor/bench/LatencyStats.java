package dev.supervisor.bench;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of a set of latencies, recorded in nanoseconds into an HdrHistogram and reported in
 * milliseconds. With {@value #SIGNIFICANT_DIGITS} significant digits a reported value is within
 * 0.1 % of the sample at that rank (HdrHistogram reports the highest value of the sample's bucket).
 */
record LatencyStats(int count, double p50, double p90, double p99, double max) {

    static final int SIGNIFICANT_DIGITS = 3;

    /**
     * The percentiles of {@code nanos}.
     *
     * @throws IllegalArgumentException if there are no samples or one is negative
     */
    static LatencyStats of(long[] nanos) {
        Histogram histogram = histogram(nanos);
        return new LatencyStats(nanos.length, millis(histogram.getValueAtPercentile(50)),
                millis(histogram.getValueAtPercentile(90)), millis(histogram.getValueAtPercentile(99)),
                millis(histogram.getMaxValue()));
    }

    /**
     * A histogram of {@code nanos} (its range grows to fit the largest sample).
     *
     * @throws IllegalArgumentException if there are no samples or one is negative
     */
    static Histogram histogram(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        Histogram histogram = new Histogram(SIGNIFICANT_DIGITS);
        for (long sample : nanos) {
            if (sample < 0) {
                throw new IllegalArgumentException("a latency cannot be negative, got " + sample + " ns");
            }
            histogram.recordValue(sample);
        }
        return histogram;
    }

    static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
