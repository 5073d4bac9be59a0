package dev.supervisor.bench;

import java.util.function.DoublePredicate;

/**
 * A target a measurement should meet, as the issue states it.
 *
 * @param text how the goal reads in the table ("≤ 1.5x")
 * @param test whether a value meets it
 */
record Goal(String text, DoublePredicate test) {

    /** At most {@code limit}. */
    static Goal atMost(double limit, String text) {
        return new Goal(text, value -> value <= limit);
    }

    /** At least {@code limit}. */
    static Goal atLeast(double limit, String text) {
        return new Goal(text, value -> value >= limit);
    }

    /** Below {@code limit}. */
    static Goal below(double limit, String text) {
        return new Goal(text, value -> value < limit);
    }

    /** Within [low, high]. */
    static Goal within(double low, double high, String text) {
        return new Goal(text, value -> value >= low && value <= high);
    }

    boolean metBy(double value) {
        return !Double.isNaN(value) && test.test(value);
    }
}
