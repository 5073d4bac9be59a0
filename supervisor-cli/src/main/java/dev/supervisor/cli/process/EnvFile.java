package dev.supervisor.cli.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --env-file PATH}: environment variables from a file, read at each start, in the format
 * of systemd's {@code EnvironmentFile} and Docker's {@code --env-file}: one {@code KEY=VALUE} per
 * line, {@code export } before it allowed, blank lines and lines starting with {@code #} ignored,
 * a value in single or double quotes taken without them. Values never reach a message: errors name
 * the line and the key only.
 */
final class EnvFile {

    private EnvFile() {
    }

    /**
     * The variables file sets.
     *
     * @throws CommandFailure saying which line is wrong, or why the file cannot be read
     */
    static Map<String, String> read(Path file) throws CommandFailure {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw CommandFailure.cannotStart("cannot read its environment file " + file + ": no such file");
        } catch (IOException e) {
            throw CommandFailure.cannotStart("cannot read its environment file " + file + ": " + e.getMessage());
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int equals = line.indexOf('=');
            String key = equals < 0 ? line : line.substring(0, equals).strip();
            if (equals < 1 || !key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw CommandFailure.cannotStart("its environment file " + file + " line " + (i + 1)
                        + ": expected KEY=VALUE with KEY letters, digits and '_'");
            }
            String value = line.substring(equals + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            env.put(key, value);
        }
        return env;
    }
}
