package dev.supervisor.cli;

import dev.supervisor.cli.command.AddCommand;
import dev.supervisor.cli.command.DemoCommand;
import dev.supervisor.cli.command.ImportCommand;
import dev.supervisor.cli.command.ListCommand;
import dev.supervisor.cli.command.LogsCommand;
import dev.supervisor.cli.command.RemoveCommand;
import dev.supervisor.cli.command.RestartCommand;
import dev.supervisor.cli.command.RunCommand;
import dev.supervisor.cli.command.SignalCommand;
import dev.supervisor.cli.command.StartCommand;
import dev.supervisor.cli.command.StatusCommand;
import dev.supervisor.cli.command.StopCommand;
import dev.supervisor.cli.output.Secrets;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The {@code supervisor} command line: keeps operating-system commands defined as rows of a
 * table alive. One class per subcommand; this one holds the options they share.
 *
 * <p>Exit codes: 0 success; 1 refused, with one line saying why (a name that exists already or
 * is unknown, an unreachable database); 2 a usage error, with the usage.
 */
@Command(name = "supervisor", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Keeps operating-system commands defined as rows of a table alive: add a row and its command "
                + "starts, remove it and the command is retired.",
        footer = {"", "Exit codes: 0 success, 1 refused (the line printed says why), 2 usage error."})
public final class Main {

    /** Exit code of a refused command. */
    static final int REFUSED = 1;

    /** The subcommands, in the order of the usage. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(RunCommand.class, AddCommand.class, RemoveCommand.class,
            ListCommand.class, StatusCommand.class, RestartCommand.class, StopCommand.class, StartCommand.class,
            SignalCommand.class, LogsCommand.class, ImportCommand.class, DemoCommand.class);

    @Option(names = "--home", paramLabel = "DIR", defaultValue = "${env:SUPERVISOR_HOME:-./.supervisor}",
            description = "The daemon's directory: embedded database and logs (default: $SUPERVISOR_HOME or ./.supervisor).")
    Path home;

    @Option(names = "--db", paramLabel = "JDBC_URL", converter = DatabaseTarget.UrlConverter.class,
            description = "An H2, PostgreSQL, MariaDB or MySQL JDBC URL (default: an embedded H2 file in the home).")
    String db;

    @Option(names = "--db-user", paramLabel = "U", description = "The database user (else the URL's).")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "P", defaultValue = "${env:SUPERVISOR_DB_PASSWORD}",
            description = "The database password (default: $SUPERVISOR_DB_PASSWORD; prefer it: arguments are visible to other users).")
    String dbPassword;

    @Option(names = "--db-schema", paramLabel = "SCHEMA", defaultValue = "${env:SUPERVISOR_DB_SCHEMA}",
            description = "The schema of the tables, created if missing (default: $SUPERVISOR_DB_SCHEMA or the database's default).")
    String dbSchema;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line; returns its exit code. */
    static int execute(String... args) {
        return commandLine(args).execute(args);
    }

    /**
     * The command line for args: with only the subcommand args name when it names one (picocli
     * builds each subcommand's model by reflection, which is most of its cost to a one-shot
     * command), else with all of them (for the usage, help and suggestions).
     */
    static CommandLine commandLine(String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler(Main::refused);
        commandLine.setParameterExceptionHandler(Main::usageError);
        Optional<Class<?>> named = subcommand(commandLine.getCommandSpec(), args);
        if (named.isPresent()) {
            commandLine.addSubcommand(named.get());
        } else {
            SUBCOMMANDS.forEach(commandLine::addSubcommand);
        }
        return commandLine;
    }

    /**
     * The subcommand args name: its first argument that is neither an option of root nor the
     * value of one; empty if there is none, it names no subcommand, or an option before it is
     * unknown or asks for help or the version.
     */
    private static Optional<Class<?>> subcommand(CommandSpec root, String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-")) {
                return SUBCOMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(arg)).findFirst();
            }
            int equals = arg.indexOf('=');
            OptionSpec option = root.findOption(equals < 0 ? arg : arg.substring(0, equals));
            if (option == null || option.usageHelp() || option.versionHelp()) {
                return Optional.empty();
            }
            if (equals < 0 && option.arity().max() > 0) {
                i++; // its value
            }
        }
        return Optional.empty();
    }

    /**
     * A usage error: the message, picocli's suggestions if any ("Did you mean: supervisor status?"),
     * and always the usage (picocli's default leaves the usage out when it has suggestions).
     */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        (command.getParent() == null ? commandLine() : command).usage(err); // the root's usage lists every subcommand
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int refused(Exception e, CommandLine command, CommandLine.ParseResult parseResult) {
        Main main = command.getCommandSpec().root().commandLine().getCommand();
        String message = e instanceof RefusedException ? e.getMessage() : String.valueOf(e);
        PrintWriter err = command.getErr();
        err.println("supervisor: " + main.secrets().mask(message));
        if (!(e instanceof RefusedException) && Boolean.getBoolean("supervisor.debug")) {
            e.printStackTrace(err);
        }
        err.flush();
        return REFUSED;
    }

    /** The home directory (not created yet). */
    public Home home() {
        return new Home(home);
    }

    /** The database the options name. */
    public DatabaseTarget database() {
        return new DatabaseTarget(home(), db, dbUser, dbPassword, dbSchema);
    }

    public Secrets secrets() {
        return Secrets.of(dbPassword);
    }

    /** The version from the jar's manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"supervisor " + (version == null ? "(development build)" : version)};
        }
    }
}
