package dev.supervisor.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL statements of a recipe in {@code docs/jdbc.md}: the {@code ```sql} block right after a
 * {@code <!-- sql-recipe: NAME -->} line, split at the semicolons that end its lines, comment lines
 * left out. Tests run them exactly as a user copies them.
 */
final class DocRecipe {

    static final Path GUIDE = Path.of("..", "docs", "jdbc.md");

    private DocRecipe() {
    }

    static List<String> statements(String name) {
        List<String> lines;
        try {
            lines = Files.readAllLines(GUIDE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + GUIDE.toAbsolutePath(), e);
        }
        int marker = lines.indexOf("<!-- sql-recipe: " + name + " -->");
        if (marker < 0 || marker + 1 >= lines.size() || !lines.get(marker + 1).equals("```sql")) {
            throw new AssertionError(GUIDE + " has no '<!-- sql-recipe: " + name + " -->' line followed by a ```sql block");
        }
        int end = lines.subList(marker + 2, lines.size()).indexOf("```") + marker + 2;
        String sql = lines.subList(marker + 2, end).stream().filter(line -> !line.strip().startsWith("--"))
                .collect(Collectors.joining("\n"));
        return Arrays.stream(sql.split(";\\s*(\\n|$)")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
