package dev.supervisor.jdbc.internal.table;

import java.time.Duration;
import java.util.Objects;

/**
 * The checks builders apply to their options, so that every option refuses a bad value at once
 * with the same words: the option's name, what it must be, and what it was.
 */
public final class OptionChecks {

    private OptionChecks() {
    }

    /**
     * {@code value}, if it is at least 1.
     *
     * @throws IllegalArgumentException naming the option otherwise
     */
    public static int atLeastOne(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be >= 1, was " + value);
        }
        return value;
    }

    /**
     * {@code value}, if it is longer than zero.
     *
     * @throws NullPointerException if it is null
     * @throws IllegalArgumentException naming the option if it is zero or negative
     */
    public static Duration positive(String option, Duration value) {
        Objects.requireNonNull(value, option);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, was " + value);
        }
        return value;
    }

    /**
     * {@code value}, if it is at least one second (JDBC query timeouts count whole seconds).
     *
     * @throws NullPointerException if it is null
     * @throws IllegalArgumentException naming the option if it is shorter
     */
    public static Duration atLeastOneSecond(String option, Duration value) {
        Objects.requireNonNull(value, option);
        if (value.toSeconds() < 1) {
            throw new IllegalArgumentException(option + " must be at least 1s, was " + value);
        }
        return value;
    }
}
