package dev.supervisor.cli.supervisord;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words as supervisord does (Python's {@code shlex.split}, POSIX
 * mode): whitespace separates words, single quotes keep everything, double quotes keep all but
 * {@code \"}, {@code \\}, {@code \$} and {@code \`}, a backslash outside quotes keeps the next
 * character. Nothing else of a shell: no variables, globs or pipes.
 */
final class ShellSplit {

    private ShellSplit() {
    }

    /**
     * The words of line.
     *
     * @throws IllegalArgumentException naming where, if a quote is not closed
     */
    static List<String> split(String line, String where) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                inWord = true;
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException(where + ": the command has no closing " + quote);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
