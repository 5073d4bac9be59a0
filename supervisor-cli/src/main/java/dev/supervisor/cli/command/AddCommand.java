package dev.supervisor.cli.command;

import dev.supervisor.RestartMode;
import dev.supervisor.cli.CheckSpec;
import dev.supervisor.cli.CommandSpec;
import dev.supervisor.cli.DatabaseTarget;
import dev.supervisor.cli.Main;
import dev.supervisor.cli.PayloadFields;
import dev.supervisor.cli.RefusedException;
import dev.supervisor.cli.RestartModes;
import dev.supervisor.cli.RowSettings;
import dev.supervisor.cli.output.ShellWords;
import dev.supervisor.cli.process.ExecutableAllowList;
import dev.supervisor.cli.process.Users;
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

/** {@code add NAME [OPTIONS] -- CMD [ARG]...}: inserts a row. */
@Command(name = "add", description = "Adds a row: the running daemon starts its command at once.",
        footer = {"", "Examples:",
                "  supervisor add web --env PORT=8080 -- python3 -m http.server 8080",
                "  supervisor add api --memory-max 512M --cpu-max 0.5 --ready-http http://127.0.0.1:9000/ready "
                        + "--health-http http://127.0.0.1:9000/health -- ./api"})
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

    @Option(names = {"--restart", "--restart-policy"}, paramLabel = "MODE", defaultValue = "always",
            converter = RestartModes.Converter.class, completionCandidates = RestartModes.Converter.class,
            description = "When to start it again after it exits on its own: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private RestartMode restart;

    @Option(names = "--env", paramLabel = "KEY=VALUE", description = "An environment variable for the command (repeatable).")
    private Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--dir", paramLabel = "DIR", description = "The working directory (default: the current directory).")
    private Path dir;

    @Option(names = "--memory-max", paramLabel = "SIZE", description = "Memory limit, swap included, e.g. 512M (K, M, G, T): "
            + "over it the OOM killer ends the command (exit kind oom-killed).")
    private String memoryMax;

    @Option(names = "--cpu-max", paramLabel = "CPUS", description = "CPU limit in CPUs, e.g. 0.5 (half of one CPU) or 2.")
    private String cpuMax;

    @Option(names = "--tasks-max", paramLabel = "N", description = "Most processes and threads at once.")
    private String tasksMax;

    @Option(names = "--ready-tcp", paramLabel = "[HOST:]PORT", description = "RUNNING once a TCP connection is accepted.")
    private String readyTcp;

    @Option(names = "--ready-http", paramLabel = "URL", description = "RUNNING once a GET of URL answers 2xx or 3xx.")
    private String readyHttp;

    @Option(names = "--ready-cmd", paramLabel = "SHELL_COMMAND", description = "RUNNING once this command (sh -c) exits 0.")
    private String readyCmd;

    @Option(names = "--ready-notify", description = "RUNNING once the command sends READY=1 to $NOTIFY_SOCKET (sd_notify).")
    private boolean readyNotify;

    @Option(names = "--ready-timeout", paramLabel = "SECONDS",
            description = "How long it may take to become ready; then the start failed (default: 60).")
    private String readyTimeout;

    @Option(names = "--health-http", paramLabel = "URL", description = "Liveness: a GET of URL must answer 2xx or 3xx.")
    private String healthHttp;

    @Option(names = "--health-cmd", paramLabel = "SHELL_COMMAND", description = "Liveness: this command (sh -c) must exit 0.")
    private String healthCmd;

    @Option(names = "--health-tcp", paramLabel = "[HOST:]PORT", description = "Liveness: a TCP connection must be accepted.")
    private String healthTcp;

    @Option(names = "--health-interval", paramLabel = "SECONDS", description = "Time between liveness checks (default: 10).")
    private String healthInterval;

    @Option(names = "--health-timeout", paramLabel = "SECONDS", description = "Time one liveness check may take (default: 5).")
    private String healthTimeout;

    @Option(names = "--health-failures", paramLabel = "N",
            description = "Failed liveness checks in a row before a restart (exit kind unhealthy; default: 3).")
    private String healthFailures;

    @Option(names = "--start-retries", paramLabel = "N",
            description = "Failed starts in a row retried before GIVEN_UP (default: 3, as supervisord's startretries).")
    private String startRetries;

    @Option(names = "--start-grace", paramLabel = "SECONDS",
            description = "How long it must stay up to count as started (default: 1; supervisord's startsecs).")
    private String startGrace;

    @Option(names = "--give-up-after", paramLabel = "N",
            description = "GIVEN_UP after more than N failures within --give-up-window (default: never).")
    private String giveUpAfter;

    @Option(names = "--give-up-window", paramLabel = "SECONDS", description = "The window of --give-up-after (default: 60).")
    private String giveUpWindow;

    @Option(names = "--success-exit-codes", paramLabel = "CODES",
            description = "Exit codes that are a success, e.g. 0,2 (default: 0); others are failures.")
    private String successExitCodes;

    @Option(names = "--stop-signal", paramLabel = "SIG", description = "The signal that asks it to stop, e.g. QUIT (default: TERM).")
    private String stopSignal;

    @Option(names = "--stop-timeout", paramLabel = "SECONDS",
            description = "Time between the stop signal and SIGKILL (default: the daemon's --stop-timeout).")
    private String stopTimeout;

    @Option(names = "--user", paramLabel = "NAME", description = "Run it as this user (the daemon must run as root).")
    private String user;

    @Option(names = "--env-file", paramLabel = "PATH",
            description = "A file of KEY=VALUE lines added to its environment at each start (--env wins).")
    private Path envFile;

    @Option(names = "--stderr", paramLabel = "MODE", description = "merged (default: into NAME.log with stdout) or separate "
            + "(into NAME.err.log; see logs --stderr).")
    private String stderr;

    @Option(names = "--log-size", paramLabel = "SIZE", description = "Size at which its log rotates, e.g. 50M (default: the daemon's).")
    private String logSize;

    @Option(names = "--log-files", paramLabel = "N", description = "Rotated log files kept (default: the daemon's).")
    private String logFiles;

    @Override
    public Integer call() {
        if (!NAME.matcher(name).matches()) {
            throw new ParameterException(command.commandLine(), "Invalid NAME '" + PayloadFields.shown(name)
                    + "': use letters, digits, '.', '_' and '-' (starting with a letter or digit), at most 128 characters");
        }
        List<String> args = command.commandLine().getParseResult().originalArgs();
        int delimiter = args.indexOf("--");
        if (delimiter < 0 || !args.subList(delimiter + 1, args.size()).equals(argv)) {
            throw new ParameterException(command.commandLine(), "Missing '--' before the command: add " + name + " -- "
                    + ShellWords.join(argv));
        }
        CommandSpec spec = new CommandSpec(argv, env,
                Optional.of((dir != null ? dir : Path.of("")).toAbsolutePath().normalize()), restart, settings());
        if (spec.dir().isPresent() && !Files.isDirectory(spec.dir().get())) {
            throw new RefusedException("no directory " + spec.dir().get() + " (--dir): the command could never run");
        }
        if (user != null && Users.find(user).isEmpty()) {
            throw new RefusedException("no user named " + PayloadFields.shown(user) + " on this host (--user)");
        }
        if (envFile != null && !Files.isReadable(spec.settings().envFile().orElseThrow())) {
            command.commandLine().getErr().println("warning: cannot read " + envFile + " (--env-file) here; the row is added:"
                    + " the daemon reads it at each start, and fails the start while it cannot");
        }
        if (!spec.env().containsKey("PATH") && ExecutableAllowList.of(List.of()).resolve(spec).filter(Files::isExecutable)
                .isEmpty()) {
            command.commandLine().getErr().println("warning: no executable " + ShellWords.quote(spec.program())
                    + (spec.program().contains("/") ? "" : " on this PATH") + "; the row is added (a daemon with another "
                    + "PATH may find it), and it is given up after " + (spec.settings().startRetries() + 1)
                    + " failed starts in a row");
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

    /** The row's settings from the options; a usage error naming the option when one is not valid. */
    private RowSettings settings() {
        RowSettings s = RowSettings.DEFAULT;
        s = set(s, "--memory-max", "memoryMax", memoryMax);
        s = set(s, "--cpu-max", "cpuMax", cpuMax);
        s = set(s, "--tasks-max", "tasksMax", tasksMax);
        s = set(s, "--start-retries", "startRetries", startRetries);
        s = set(s, "--start-grace", "startGrace", startGrace);
        s = set(s, "--give-up-after", "giveUpAfter", giveUpAfter);
        s = set(s, "--give-up-window", "giveUpWindow", giveUpWindow);
        s = set(s, "--success-exit-codes", "successExitCodes", successExitCodes);
        s = set(s, "--stop-signal", "stopSignal", stopSignal);
        s = set(s, "--stop-timeout", "stopTimeout", stopTimeout);
        s = set(s, "--user", "user", user);
        s = set(s, "--env-file", "envFile", envFile == null ? null : envFile.toAbsolutePath().normalize().toString());
        s = set(s, "--stderr", "stderr", stderr);
        s = set(s, "--log-size", "logSize", logSize);
        s = set(s, "--log-files", "logFiles", logFiles);
        s = s.withReady(check("--ready", true, Map.of("tcp", opt(readyTcp), "http", opt(readyHttp), "cmd", opt(readyCmd),
                "notify", readyNotify ? Optional.of(Boolean.TRUE) : Optional.empty()), Map.of("timeout", opt(readyTimeout))));
        s = s.withHealth(check("--health", false, Map.of("tcp", opt(healthTcp), "http", opt(healthHttp), "cmd", opt(healthCmd)),
                Map.of("interval", opt(healthInterval), "timeout", opt(healthTimeout), "failures", opt(healthFailures))));
        return s;
    }

    private static Optional<Object> opt(Object value) {
        return Optional.ofNullable(value);
    }

    /** The check the {@code --ready-*} or {@code --health-*} options describe, read as the payload's object would be. */
    private Optional<CheckSpec> check(String prefix, boolean readiness, Map<String, Optional<Object>> kinds,
            Map<String, Optional<Object>> options) {
        Map<String, Object> json = new LinkedHashMap<>();
        kinds.forEach((kind, value) -> value.ifPresent(v -> json.put(kind, v)));
        if (json.size() > 1) {
            throw new ParameterException(command.commandLine(), "give one of " + String.join(", ",
                    kinds.keySet().stream().sorted().map(k -> prefix + "-" + k).toList()) + ", not several");
        }
        if (json.isEmpty()) {
            options.forEach((option, value) -> value.ifPresent(v -> {
                throw new ParameterException(command.commandLine(), prefix + "-" + option + " needs one of "
                        + String.join(", ", kinds.keySet().stream().sorted().map(k -> prefix + "-" + k).toList()));
            }));
            return Optional.empty();
        }
        options.forEach((option, value) -> value.ifPresent(v -> json.put(option, v)));
        String field = readiness ? "ready" : "health";
        try {
            return RowSettings.DEFAULT.with(field, json).ready().or(() -> RowSettings.DEFAULT.with(field, json).health());
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            for (String key : json.keySet()) {
                message = message.replace("\"" + field + "." + key + "\"", prefix + "-" + key);
            }
            throw new ParameterException(command.commandLine(), message.replace("\"" + field + "\"", prefix + "-*"));
        }
    }

    private RowSettings set(RowSettings settings, String option, String field, String value) {
        if (value == null) {
            return settings;
        }
        try {
            return settings.with(field, value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage().replace("\"" + field + "\"", option));
        }
    }
}
