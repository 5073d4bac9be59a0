package dev.supervisor.cli.output;

import java.time.Duration;
import java.util.Locale;

/** Durations as people read them in the daemon's output and in {@code list}. */
public final class Durations {

    private Durations() {
    }

    /** Seconds with at most one decimal: {@code 0.5 s}, {@code 1 s}, {@code 12.3 s}. */
    public static String seconds(Duration d) {
        double s = Math.max(0, d.toMillis()) / 1000.0;
        String text = String.format(Locale.ROOT, "%.1f", s);
        return (text.endsWith(".0") ? text.substring(0, text.length() - 2) : text) + " s";
    }

    /** Two units at most: {@code 42s}, {@code 3m12s}, {@code 2h03m}, {@code 4d02h}. */
    public static String compact(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, s % 86_400 / 3600);
    }
}
