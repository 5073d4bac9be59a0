package dev.supervisor.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
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
        subcommands = {RunCommand.class, AddCommand.class, RemoveCommand.class, ListCommand.class, StatusCommand.class,
                RestartCommand.class, StopCommand.class, StartCommand.class, LogsCommand.class, DemoCommand.class},
        footer = {"", "Exit codes: 0 success, 1 refused (the line printed says why), 2 usage error."})
public final class Main {

    /** Exit code of a refused command. */
    static final int REFUSED = 1;

    @Option(names = "--home", paramLabel = "DIR", defaultValue = "${env:SUPERVISOR_HOME:-./.supervisor}",
            description = "The daemon's directory: embedded database and logs (default: $SUPERVISOR_HOME or ./.supervisor).")
    Path home;

    @Option(names = "--db", paramLabel = "JDBC_URL", converter = DatabaseTarget.UrlConverter.class,
            description = "An H2 or PostgreSQL JDBC URL (default: an embedded H2 file in the home).")
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
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler(Main::refused);
        commandLine.setParameterExceptionHandler(Main::usageError);
        return commandLine;
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
        command.usage(err);
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
    Home home() {
        return new Home(home);
    }

    /** The database the options name. */
    DatabaseTarget database() {
        return new DatabaseTarget(home(), db, dbUser, dbPassword, dbSchema);
    }

    Secrets secrets() {
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
