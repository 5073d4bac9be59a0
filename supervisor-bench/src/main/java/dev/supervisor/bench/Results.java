package dev.supervisor.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything a run measured: numbers for the table, latency samples for the chart. Thread-safe. */
final class Results {

    private final List<Measurement> measurements = new ArrayList<>();
    private final Map<String, Map<String, long[]>> latencies = new LinkedHashMap<>();
    private final Map<Store, String> skipped = new EnumMap<>(Store.class);
    private final List<String> failures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** Records one number without a goal. */
    synchronized void add(String scenario, String row, Store store, double value, Unit unit) {
        add(scenario, row, store, "", value, unit, null);
    }

    /** Records one number. */
    synchronized void add(String scenario, String row, Store store, String metric, double value, Unit unit, Goal goal) {
        measurements.add(new Measurement(scenario, row, store, metric, value, unit, goal));
    }

    /** Records p50 / p99 / max of {@code nanos} as one row (goal, if any, on p99), and keeps the samples for the chart. */
    synchronized LatencyStats addLatencies(String scenario, String row, Store store, String series, long[] nanos,
            Goal p99Goal) {
        LatencyStats stats = LatencyStats.of(nanos);
        add(scenario, row, store, "p50", stats.p50(), Unit.MILLIS, null);
        add(scenario, row, store, "p99", stats.p99(), Unit.MILLIS, p99Goal);
        add(scenario, row, store, "max", stats.max(), Unit.MILLIS, null);
        latencies.computeIfAbsent(scenario, k -> new LinkedHashMap<>()).put(series, nanos.clone());
        return stats;
    }

    /** Marks a column as not measured in this run, and why. */
    synchronized void skip(Store store, String reason) {
        skipped.put(store, reason);
    }

    /** Adds a line to say under the table (a configuration, a caveat). */
    synchronized void note(String line) {
        notes.add(line);
    }

    /** Records that a scenario failed to run. */
    synchronized void fail(String message) {
        failures.add(message);
    }

    synchronized List<Measurement> measurements() {
        return List.copyOf(measurements);
    }

    /** Latency samples in nanoseconds: by scenario, then by series. */
    synchronized Map<String, Map<String, long[]>> latencies() {
        Map<String, Map<String, long[]>> copy = new LinkedHashMap<>();
        latencies.forEach((scenario, series) -> copy.put(scenario, new LinkedHashMap<>(series)));
        return copy;
    }

    synchronized Map<Store, String> skipped() {
        return new EnumMap<>(skipped);
    }

    synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    synchronized List<String> failures() {
        return List.copyOf(failures);
    }
}
