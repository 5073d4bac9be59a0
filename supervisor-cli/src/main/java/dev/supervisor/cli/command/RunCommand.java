package dev.supervisor.cli.command;

import dev.supervisor.SupervisorListener;
import dev.supervisor.cli.DatabaseTarget;
import dev.supervisor.cli.Home;
import dev.supervisor.cli.Main;
import dev.supervisor.cli.RefusedException;
import dev.supervisor.cli.daemon.CommandExitMeters;
import dev.supervisor.cli.daemon.Daemon;
import dev.supervisor.cli.daemon.DaemonLock;
import dev.supervisor.cli.daemon.DaemonRegistry;
import dev.supervisor.cli.daemon.RunnerSettings;
import dev.supervisor.cli.daemon.ShutdownSignals;
import dev.supervisor.cli.daemon.StatusPageView;
import dev.supervisor.cli.health.HealthChecks;
import dev.supervisor.cli.http.HttpOptions;
import dev.supervisor.cli.http.StatusServer;
import dev.supervisor.cli.output.HumanOutput;
import dev.supervisor.cli.process.ChildEnvironment;
import dev.supervisor.cli.process.CommandLauncher;
import dev.supervisor.cli.process.ExecutableAllowList;
import dev.supervisor.cli.process.LiveProcesses;
import dev.supervisor.jdbc.Database;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code run}: the daemon, until SIGTERM, SIGINT or SIGHUP. */
@Command(name = "run", description = {"Supervises every row until SIGTERM, SIGINT (Ctrl-C) or SIGHUP: starts each row's command, "
        + "restarts it with backoff when it exits, retires it when its row is removed; then stops them all and exits 0.",
        "Whoever can write the table can run commands as this daemon's user: restrict them with --allow."})
public final class RunCommand implements Callable<Integer> {

    @ParentCommand
    private Main main;

    @Spec
    private Model.CommandSpec command;

    @Option(names = "--allow", paramLabel = "REGEX",
            description = "Only programs whose absolute path matches REGEX entirely may run, e.g. '/usr/bin/.*' "
                    + "(repeatable; default: any). Other rows are refused, with the reason in their status.")
    private List<Pattern> allow = new ArrayList<>();

    @Option(names = "--stop-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Time between SIGTERM and SIGKILL when stopping a process (default: ${DEFAULT-VALUE}).")
    private double stopTimeoutSeconds;

    @Option(names = "--log-size", paramLabel = "MIB", defaultValue = "10",
            description = "Size at which a process's log file is rotated, in MiB (default: ${DEFAULT-VALUE}).")
    private int logSizeMib;

    @Option(names = "--log-files", paramLabel = "N", defaultValue = "3",
            description = "Rotated log files kept per process (default: ${DEFAULT-VALUE}).")
    private int logFiles;

    @Option(names = "--unset-env", paramLabel = "NAME",
            description = "Do not pass the daemon's environment variable NAME on to the commands (repeatable). "
                    + "SUPERVISOR_DB_* variables are never passed on.")
    private List<String> unsetEnv = new ArrayList<>();

    @Option(names = "--cluster", description = "Share the rows with the other daemons on this table that run with --cluster "
            + "(each command runs on exactly one of them, through leases). Without it, run refuses to start while another "
            + "daemon is live on the table.")
    private boolean cluster;

    @Mixin
    private HttpOptions http;

    @Override
    @SuppressWarnings("try") // the lock is held, not used
    public Integer call() throws Exception {
        if (stopTimeoutSeconds < 0 || stopTimeoutSeconds > 3600 || logSizeMib < 1 || logFiles < 0) {
            throw new ParameterException(command.commandLine(), "--stop-timeout must be within 0..3600, --log-size >= 1 and "
                    + "--log-files >= 0; were " + stopTimeoutSeconds + ", " + logSizeMib + ", " + logFiles);
        }
        HttpOptions.Listen listen = http.check(command.commandLine());
        Home home = main.home();
        DatabaseTarget target = main.database();
        PrintWriter out = command.commandLine().getOut();
        ShutdownSignals signals = ShutdownSignals.install();
        // the page's address first: a taken port is refused before the database is opened or anything started
        try (DaemonLock lock = DaemonLock.acquire(home); StatusServer server = listen == null ? null : bind(listen, home);
             Database database = target.openForDaemon();
             CommandLauncher launcher = CommandLauncher.detect(home, new ChildEnvironment(unsetEnv));
             DaemonRegistry registry = DaemonRegistry.of(database, Daemon.NODE);
             HealthChecks checks = new HealthChecks(dev.supervisor.Clock.system())) {
            registry.register(home, cluster, launcher.limits().describe());
            registry.startHeartbeat(dev.supervisor.Clock.system());
            LiveProcesses live = new LiveProcesses();
            HumanOutput output = new HumanOutput(out, Clock.systemDefaultZone(), live);
            RunnerSettings settings = new RunnerSettings(home, ExecutableAllowList.of(allow),
                    Duration.ofMillis(Math.round(stopTimeoutSeconds * 1000)), logSizeMib * 1024L * 1024L, logFiles, live,
                    launcher, cluster, checks);
            output.line("supervising the rows of " + target.describe() + "; logs in " + home.logs()
                    + "; stop with Ctrl-C or SIGTERM");
            output.line("binding: " + launcher.describe());
            output.line("limits: " + launcher.limits().describe());
            if (cluster) {
                output.line("cluster: node " + Daemon.NODE + " shares the rows with the other daemons run with --cluster");
            }
            output.line(allow.isEmpty()
                    ? "any command in the table may run, as user " + System.getProperty("user.name") + " (restrict with --allow)"
                    : "allowed programs: " + allow.stream().map(Pattern::pattern).collect(Collectors.joining(", ")));
            CommandExitMeters exits = new CommandExitMeters(Daemon.SUPERVISOR_NAME);
            if (server != null) {
                server.bind(exits);
            }
            Daemon daemon = Daemon.launch(database, settings, output,
                    server == null ? new SupervisorListener<>() { } : server.metrics(), exits);
            if (server != null) { // open until the daemon has closed: /health says 503 while it stops
                server.start(daemon.supervisor(), new StatusPageView(database, home, main.secrets()));
                output.line(server.describe());
            }
            Thread hook = new Thread(daemon::close, "supervisor-shutdown");
            Runtime.getRuntime().addShutdownHook(hook); // any other way the JVM ends still stops the processes
            String signal;
            try {
                signal = signals.await();
            } catch (InterruptedException e) {
                signal = "interrupted";
            }
            output.line(signal + ": stopping every process");
            Runtime.getRuntime().removeShutdownHook(hook);
            daemon.close();
            output.line("stopped");
        }
        return 0;
    }

    /** The status page's server, listening; refused (exit 1) when the address cannot be bound. */
    private static StatusServer bind(HttpOptions.Listen listen, Home home) {
        try {
            return listen.bind(home.dir(), Daemon.SUPERVISOR_NAME);
        } catch (UncheckedIOException e) {
            throw new RefusedException(e.getMessage(), e);
        }
    }
}
