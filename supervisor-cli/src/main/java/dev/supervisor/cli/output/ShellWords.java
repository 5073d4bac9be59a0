package dev.supervisor.cli.output;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Shows an argument vector as a shell would read it back: {@code sh -c 'echo hi'}. For people
 * only, never for running: a word longer than {@link #MAX_WORD} characters is cut, and so is a
 * whole vector longer than {@link #MAX_LINE}, saying how much was left out, so that a hostile
 * row's 10 MB argument never makes 10 MB of output (per restart).
 */
public final class ShellWords {

    /** The longest word shown whole. */
    static final int MAX_WORD = 200;
    /** The longest vector shown whole. */
    static final int MAX_LINE = 1000;

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private ShellWords() {
    }

    public static String join(List<String> argv) {
        return cut(argv.stream().map(ShellWords::quote).collect(Collectors.joining(" ")), MAX_LINE);
    }

    /** The word as is when the shell would not change it, else in single quotes; cut if longer than {@link #MAX_WORD}. */
    public static String quote(String word) {
        String shown = cut(word, MAX_WORD);
        if (PLAIN.matcher(shown).matches()) {
            return shown;
        }
        return "'" + shown.replace("'", "'\\''") + "'";
    }

    /** text, or its first max characters and how many more there were. */
    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...(" + (text.length() - max) + " more characters)";
    }
}
