package dev.supervisor.cli.command;

import dev.supervisor.RestartMode;
import dev.supervisor.cli.CommandSpec;
import dev.supervisor.cli.DatabaseTarget;
import dev.supervisor.cli.Main;
import dev.supervisor.cli.RefusedException;
import dev.supervisor.cli.RestartModes;
import dev.supervisor.cli.output.ShellWords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code add NAME [--restart MODE] [--env KEY=VALUE]... [--dir DIR] -- CMD [ARG]...}: inserts a row. */
@Command(name = "add", description = "Adds a row: the running daemon starts its command at once.",
        footer = {"", "Example: supervisor add web --env PORT=8080 -- python3 -m http.server 8080"})
public final class AddCommand implements Callable<Integer> {

    /** Names are used for log files too: letters, digits, '.', '_', '-'; 128 characters at most. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    @ParentCommand
    private Main main;

    @Spec
    private Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "NAME", description = "The process's unique name (letters, digits, '.', '_', '-').")
    private String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD",
            description = "After --: the command and its arguments, run without a shell.")
    private List<String> argv;

    @Option(names = "--restart", paramLabel = "MODE", defaultValue = "always", converter = RestartModes.Converter.class,
            completionCandidates = RestartModes.Converter.class,
            description = "When to start it again after it exits on its own: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private RestartMode restart;

    @Option(names = "--env", paramLabel = "KEY=VALUE", description = "An environment variable for the command (repeatable).")
    private Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--dir", paramLabel = "DIR", description = "The working directory (default: the current directory).")
    private Path dir;

    @Override
    public Integer call() {
        if (!NAME.matcher(name).matches()) {
            throw new ParameterException(command.commandLine(), "Invalid NAME '" + name
                    + "': use letters, digits, '.', '_' and '-' (starting with a letter or digit), at most 128 characters");
        }
        List<String> args = command.commandLine().getParseResult().originalArgs();
        int delimiter = args.indexOf("--");
        if (delimiter < 0 || !args.subList(delimiter + 1, args.size()).equals(argv)) {
            throw new ParameterException(command.commandLine(), "Missing '--' before the command: add " + name + " -- "
                    + ShellWords.join(argv));
        }
        CommandSpec spec = new CommandSpec(argv, env,
                Optional.of((dir != null ? dir : Path.of("")).toAbsolutePath().normalize()), restart);
        if (spec.dir().isPresent() && !Files.isDirectory(spec.dir().get())) {
            throw new RefusedException("no directory " + spec.dir().get() + " (--dir): the command could never run");
        }
        DatabaseTarget target = main.database();
        boolean daemonLive = target.withRows(rows -> {
            rows.add(name, spec);
            return rows.daemonLive();
        });
        command.commandLine().getOut().println("added " + name + ": " + ShellWords.join(argv));
        if (!daemonLive) {
            command.commandLine().getErr().println(target.noDaemonWarning());
        }
        return 0;
    }
}
