package dev.supervisor.cli.process;

import dev.supervisor.cli.CommandSpec;
import dev.supervisor.cli.output.ShellWords;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code run --allow REGEX}: which executables rows may run. Whoever can write the table can run
 * commands as the daemon's user; with patterns given, a row runs only if its program, resolved
 * to an absolute path the way it will be executed (through the daemon's {@code PATH} when it has
 * no slash, against the row's directory when relative), matches one of them entirely. No
 * patterns: everything is allowed. Immutable and thread-safe.
 */
public final class ExecutableAllowList {

    private final List<Pattern> patterns;
    private final String path;

    private ExecutableAllowList(List<Pattern> patterns, String path) {
        this.patterns = List.copyOf(patterns);
        this.path = path == null ? "" : path;
    }

    /** Allows what matches one of patterns (all when empty), resolving programs through the daemon's PATH. */
    public static ExecutableAllowList of(List<Pattern> patterns) {
        return new ExecutableAllowList(patterns, System.getenv("PATH"));
    }

    /** As {@link #of(List)}, resolving through {@code path} instead. */
    public static ExecutableAllowList of(List<Pattern> patterns, String path) {
        return new ExecutableAllowList(patterns, path);
    }

    boolean allowsEverything() {
        return patterns.isEmpty();
    }

    /** Why spec may not run, or empty when it may. */
    Optional<String> refusal(CommandSpec spec) {
        if (patterns.isEmpty()) {
            return Optional.empty();
        }
        String program = resolve(spec).map(Path::toString).orElse(spec.program());
        for (Pattern pattern : patterns) {
            if (pattern.matcher(program).matches()) {
                return Optional.empty();
            }
        }
        return Optional.of(ShellWords.quote(program) + " matches no --allow pattern ("
                + patterns.stream().map(Pattern::pattern).collect(Collectors.joining(", ")) + ")");
    }

    /** The absolute path the program runs from, or empty when it cannot be found. */
    public Optional<Path> resolve(CommandSpec spec) {
        String program = spec.program();
        if (program.contains("/")) {
            Path base = spec.dir().orElse(Path.of("")).toAbsolutePath();
            return Optional.of(base.resolve(program).normalize());
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir).toAbsolutePath().resolve(program).normalize();
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
