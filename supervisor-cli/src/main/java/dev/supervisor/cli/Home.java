package dev.supervisor.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The daemon's directory ({@code --home}, default {@code ./.supervisor}): the embedded database,
 * the captured output of every process under {@code logs/}, and the daemon's lock file.
 *
 * @param dir the directory, absolute
 */
public record Home(Path dir) {

    /** Names used as they are for log files; others are made safe (see {@link #logFile}). */
    private static final Pattern SAFE_FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public Home {
        dir = dir.toAbsolutePath().normalize();
    }

    /** The embedded H2 database's file, without the {@code .mv.db} that H2 adds. */
    Path database() {
        return dir.resolve("db").resolve("supervisor");
    }

    public Path logs() {
        return dir.resolve("logs");
    }

    /**
     * The file that captures the output of process {@code name}. Names given to {@code add} are
     * file-safe; a name inserted by SQL that is not gets its unsafe characters replaced and a
     * hash of the whole name appended, so two names never share a file.
     */
    public Path logFile(String name) {
        return logs().resolve(fileName(name) + ".log");
    }

    /** The file that captures the stderr of process {@code name} when it is kept separate ({@code --stderr separate}). */
    public Path errorLogFile(String name) {
        return logs().resolve("stderr").resolve(fileName(name) + ".log");
    }

    public Path lockFile() {
        return dir.resolve("daemon.lock");
    }

    /** Creates the directory and its {@code logs/} if missing. */
    public Home create() {
        try {
            Files.createDirectories(logs());
            Files.createDirectories(database().getParent());
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the home directory " + dir + ": " + e.getMessage(), e);
        }
    }

    public static String fileName(String name) {
        if (SAFE_FILE_NAME.matcher(name).matches()) {
            return name;
        }
        String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "_");
        cleaned = cleaned.substring(0, Math.min(cleaned.length(), 100));
        int hash = java.util.Arrays.hashCode(name.getBytes(StandardCharsets.UTF_8));
        return "_" + cleaned + "-" + HexFormat.of().toHexDigits(hash);
    }
}
