package dev.supervisor.cli.supervisord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An INI file as supervisord reads it (Python's {@code RawConfigParser} with supervisord's
 * settings): {@code [section]} headers, {@code key = value} or {@code key: value} lines (keys in
 * any case, read lower case), whole-line comments starting with {@code #} or {@code ;}, inline
 * comments starting with {@code ;} or {@code #} after whitespace, and continuation lines (indented)
 * joined to the value with a newline. Values are raw: expansions ({@code %(here)s}) are left to
 * the caller. Each value remembers its line, for messages.
 */
final class IniFile {

    /** A value and where it was written. */
    record Value(String text, Path file, int line) {
        String where() {
            return file.getFileName() + ":" + line;
        }
    }

    /** A section: its name and its options in file order. */
    record Section(String name, Path file, int line, Map<String, Value> options) {
    }

    private IniFile() {
    }

    /**
     * The sections of file, in order.
     *
     * @throws IllegalArgumentException naming the file and line of the first line that is neither
     *     a section, an option, a comment nor a continuation
     * @throws IOException if it cannot be read
     */
    static List<Section> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Section> sections = new ArrayList<>();
        Section current = null;
        String lastKey = null;
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            int number = i + 1;
            String stripped = raw.strip();
            if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith(";")) {
                if (stripped.isEmpty()) {
                    lastKey = null;
                }
                continue;
            }
            if (Character.isWhitespace(raw.charAt(0)) && current != null && lastKey != null) {
                Value previous = current.options().get(lastKey);
                String more = withoutComment(stripped);
                current.options().put(lastKey, new Value(previous.text().isEmpty() ? more : previous.text() + "\n" + more,
                        previous.file(), previous.line()));
                continue;
            }
            if (stripped.startsWith("[")) {
                int end = stripped.indexOf(']');
                if (end < 2) {
                    throw new IllegalArgumentException(file.getFileName() + ":" + number + ": a section header must be"
                            + " [name], was " + shown(stripped));
                }
                current = new Section(stripped.substring(1, end).strip(), file, number, new LinkedHashMap<>());
                sections.add(current);
                lastKey = null;
                continue;
            }
            int equals = indexOfSeparator(stripped);
            if (equals < 1) {
                throw new IllegalArgumentException(file.getFileName() + ":" + number + ": expected key = value, was "
                        + shown(stripped));
            }
            if (current == null) {
                throw new IllegalArgumentException(file.getFileName() + ":" + number + ": an option before any [section]: "
                        + shown(stripped));
            }
            lastKey = stripped.substring(0, equals).strip().toLowerCase(Locale.ROOT);
            current.options().put(lastKey, new Value(withoutComment(stripped.substring(equals + 1).strip()), file, number));
        }
        return sections;
    }

    private static int indexOfSeparator(String line) {
        int equals = line.indexOf('=');
        int colon = line.indexOf(':');
        if (equals < 0) {
            return colon;
        }
        return colon < 0 ? equals : Math.min(equals, colon);
    }

    /** value without an inline comment: {@code ;} or {@code #} after whitespace. */
    private static String withoutComment(String value) {
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c == ';' || c == '#') && Character.isWhitespace(value.charAt(i - 1))) {
                return value.substring(0, i).strip();
            }
        }
        return value;
    }

    static String shown(String text) {
        return "'" + dev.supervisor.cli.PayloadFields.shown(text) + "'";
    }
}
