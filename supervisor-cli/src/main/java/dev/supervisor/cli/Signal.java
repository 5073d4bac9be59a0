package dev.supervisor.cli;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A POSIX signal by its Linux name and number: what {@code --stop-signal}, {@code "stopSignal"}
 * and {@code supervisor signal NAME SIG} take. Read from {@code QUIT}, {@code SIGQUIT},
 * {@code quit} or {@code 3}; shown as {@code SIGQUIT}.
 *
 * @param name the name without {@code SIG}: {@code QUIT}
 * @param number its number on Linux
 */
public record Signal(String name, int number) {

    /** Every signal that may be named, in Linux's order (x86, ARM and most other architectures). */
    private static final List<String> NAMES = List.of("HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
            "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
            "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");

    public static final Signal TERM = parse("TERM");
    public static final Signal KILL = parse("KILL");

    /**
     * The signal text names.
     *
     * @throws IllegalArgumentException naming a few valid names if there is none
     */
    public static Signal parse(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (t.matches("\\d{1,2}")) {
            int n = Integer.parseInt(t);
            if (n >= 1 && n <= NAMES.size()) {
                return new Signal(NAMES.get(n - 1), n);
            }
        }
        String name = t.startsWith("SIG") ? t.substring(3) : t;
        int index = NAMES.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("unknown signal '" + PayloadFields.shown(text)
                    + "': use a name such as TERM, INT, QUIT, HUP, USR1, USR2, KILL (with or without SIG) or a number 1.."
                    + NAMES.size());
        }
        return new Signal(name, index + 1);
    }

    /** The signal whose number is n, if Linux has one. */
    public static Optional<Signal> ofNumber(int n) {
        return n >= 1 && n <= NAMES.size() ? Optional.of(new Signal(NAMES.get(n - 1), n)) : Optional.empty();
    }

    @Override
    public String toString() {
        return "SIG" + name;
    }
}
