package dev.supervisor.bench;

import java.util.Locale;

/** How a measured number is written. */
enum Unit {
    MICROS("µs"),
    MILLIS("ms"),
    SECONDS("s"),
    RATIO("x"),
    PER_SECOND("/s"),
    BYTES("B"),
    PERCENT("% of a core"),
    COUNT(""),
    /** A count per something, to two decimals. */
    AVERAGE_COUNT("");

    private final String suffix;

    Unit(String suffix) {
        this.suffix = suffix;
    }

    /** The unit's name ("ms"), or empty. */
    String suffix() {
        return suffix;
    }

    /** {@code numbers} followed by the unit: "2.1 / 6.5 ms", "1.23x", "167/s". */
    String append(String numbers) {
        return switch (this) {
            case RATIO, PER_SECOND, COUNT, AVERAGE_COUNT -> numbers + suffix;
            default -> numbers + " " + suffix;
        };
    }

    /** The number alone, rounded to what the measurement can tell. */
    String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return switch (this) {
            case MICROS -> String.format(Locale.ROOT, "%.2f", value);
            case MILLIS -> value < 10 ? String.format(Locale.ROOT, "%.2f", value)
                    : value < 100 ? String.format(Locale.ROOT, "%.1f", value)
                    : String.format(Locale.ROOT, "%,.0f", value);
            case SECONDS, RATIO, AVERAGE_COUNT -> String.format(Locale.ROOT, "%.2f", value);
            case PERCENT -> String.format(Locale.ROOT, "%.1f", value);
            case PER_SECOND, BYTES, COUNT -> String.format(Locale.ROOT, "%,.0f", value);
        };
    }
}
