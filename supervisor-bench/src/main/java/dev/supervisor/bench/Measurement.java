package dev.supervisor.bench;

/**
 * One number of a run.
 *
 * @param scenario the scenario's number and name ("1 reconcile pass")
 * @param row what was measured, as the table row says it
 * @param store the column: where the table lived
 * @param metric which statistic of the row ("p50", "p99"), or empty when the row has one number
 * @param value the number, in {@code unit}
 * @param unit its unit
 * @param goal the goal for it, or null
 */
record Measurement(String scenario, String row, Store store, String metric, double value, Unit unit, Goal goal) {

    /** True unless there is a goal and the value misses it. */
    boolean met() {
        return goal == null || goal.metBy(value);
    }
}
