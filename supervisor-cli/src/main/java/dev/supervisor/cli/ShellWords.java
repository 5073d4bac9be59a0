package dev.supervisor.cli;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Shows an argument vector as a shell would read it back: {@code sh -c 'echo hi'}. */
final class ShellWords {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private ShellWords() {
    }

    static String join(List<String> argv) {
        return argv.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
    }

    /** The word as is when the shell would not change it, else in single quotes. */
    static String quote(String word) {
        if (PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
