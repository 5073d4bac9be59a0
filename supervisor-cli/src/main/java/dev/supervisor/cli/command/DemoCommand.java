package dev.supervisor.cli.command;

import dev.supervisor.KeyState;
import dev.supervisor.RestartMode;
import dev.supervisor.cli.CommandSpec;
import dev.supervisor.cli.DatabaseTarget;
import dev.supervisor.cli.Home;
import dev.supervisor.cli.ProcessRows;
import dev.supervisor.cli.RefusedException;
import dev.supervisor.cli.daemon.Daemon;
import dev.supervisor.cli.daemon.RunnerSettings;
import dev.supervisor.cli.health.HealthChecks;
import dev.supervisor.cli.output.Durations;
import dev.supervisor.cli.output.HumanOutput;
import dev.supervisor.cli.output.ListedProcess;
import dev.supervisor.cli.process.ChildEnvironment;
import dev.supervisor.cli.process.CommandLauncher;
import dev.supervisor.cli.process.ExecutableAllowList;
import dev.supervisor.cli.process.LiveProcesses;
import dev.supervisor.cli.process.LogTail;
import dev.supervisor.cli.process.RotatingLog;
import dev.supervisor.jdbc.Database;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: a guided tour on a temporary embedded database, in one process: the daemon, the
 * rows it supervises, a crash and its restart, a removal and its retirement, an orderly stop.
 */
@Command(name = "demo", description = "A self-contained tour on a temporary embedded database: adds a few workers, "
        + "shows their status, kills one (it comes back), removes one (it is retired), and exits cleanly.")
public final class DemoCommand implements Callable<Integer> {

    /** The longest any step may take before the demo gives up. */
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);

    @Spec
    private Model.CommandSpec command;

    private PrintWriter out;
    private final Clock clock = Clock.systemDefaultZone();

    @Override
    public Integer call() throws Exception {
        out = command.commandLine().getOut();
        Path dir = Files.createTempDirectory("supervisor-demo-");
        try {
            tour(new Home(dir).create());
        } finally {
            delete(dir);
        }
        say("");
        say("That was the tour. For real, make the command `supervisor` (supervisor-cli/bin/supervisor, beside the jar in the"
                + " source tree), e.g. alias supervisor=\"$PWD/supervisor-cli/bin/supervisor\" in the repository, then run the"
                + " daemon in one terminal, and add and remove commands from another:");
        say("  supervisor run");
        say("  supervisor add web -- python3 -m http.server 8000");
        say("  supervisor remove web");
        return 0;
    }

    private void tour(Home home) throws Exception {
        say("This tour runs the daemon on a temporary embedded database in " + home.dir() + ".");
        try (Database database = new DatabaseTarget(home, null, null, null, null).openForDaemon();
             Connection connection = database.dataSource().getConnection();
             CommandLauncher launcher = CommandLauncher.detect(home, new ChildEnvironment(List.of()));
             HealthChecks checks = new HealthChecks(dev.supervisor.Clock.system())) {
            ProcessRows rows = new ProcessRows(connection);
            LiveProcesses live = new LiveProcesses();
            HumanOutput output = new HumanOutput(out, clock, live);
            RunnerSettings settings = new RunnerSettings(home, ExecutableAllowList.of(List.of()), Duration.ofSeconds(3),
                    RotatingLog.DEFAULT_MAX_BYTES, 1, live, launcher, false, checks);
            step("1. Start the daemon: a supervisor that keeps one process alive per row of the table supervisor_processes."
                    + " Lines with a time stamp are its output.");
            List<Long> pids;
            try (Daemon daemon = Daemon.launch(database, settings, output)) {
                step("2. Add three rows, as `supervisor add` does from another terminal: two workers printing a line every"
                        + " second, and one whose program does not exist. A process is RUNNING once it stayed up for 1 s.");
                rows.add("ticker", command(home, "while true; do echo tick; sleep 1; done"));
                rows.add("tocker", command(home, "while true; do echo tock; sleep 1; done"));
                rows.add("broken", new CommandSpec(List.of("no-such-program"), Map.of(), Optional.of(home.dir()), RestartMode.ALWAYS));
                await("ticker and tocker to run", () -> pid(rows, "ticker").isPresent() && pid(rows, "tocker").isPresent());
                step("3. Their status, as `supervisor list` shows it (the daemon writes it to the table supervisor_status)."
                        + " broken waits between attempts, longer each time (backoff), and is given up (GIVEN_UP) after 4 failed"
                        + " starts in a row:");
                table(rows);
                long first = pid(rows, "ticker").orElseThrow();
                step("4. Kill ticker with SIGKILL (kill -9 " + first + "), as a crash would. The daemon sees it exit and"
                        + " starts it again after a short backoff.");
                ProcessHandle.of(first).ifPresent(ProcessHandle::destroyForcibly);
                await("ticker to come back", () -> pid(rows, "ticker").stream().anyMatch(pid -> pid != first));
                step("   ticker is back, with pid " + pid(rows, "ticker").orElseThrow() + " instead of " + first + ".");
                step("5. Remove tocker's row, as `supervisor remove tocker` does: the daemon retires it (SIGTERM to its"
                        + " process tree) and does not start it again.");
                rows.remove("tocker");
                await("tocker to be retired", () -> daemon.supervisor().status("tocker").isEmpty());
                step("6. The status now:");
                table(rows);
                step("7. What ticker wrote, as `supervisor logs ticker` shows it (from " + home.logFile("ticker") + "):");
                ByteArrayOutputStream log = new ByteArrayOutputStream();
                new LogTail(home.logFile("ticker")).writeLast(3, log);
                log.toString(StandardCharsets.UTF_8).lines().forEach(line -> say("   " + line));
                pids = live.pid("ticker", daemon.supervisor().status("ticker").orElseThrow().attempt()).stream()
                        .boxed().toList();
                step("8. Stop the daemon, as SIGTERM or Ctrl-C does: it stops every process and their children.");
            }
            boolean left = pids.stream().anyMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            step(left ? "   Some process is still alive: that should not happen." : "   Stopped; no process is left behind.");
        }
    }

    private static CommandSpec command(Home home, String script) {
        return new CommandSpec(List.of("sh", "-c", script), Map.of(), Optional.of(home.dir()), RestartMode.ALWAYS);
    }

    /** The pid of a RUNNING row as the status table says it. */
    private static OptionalLong pid(ProcessRows rows, String name) {
        return rows.list().stream().filter(r -> r.name().equals(name) && r.state().equals(KeyState.RUNNING.name()))
                .map(ListedProcess::pid).findFirst().orElse(OptionalLong.empty());
    }

    private void table(ProcessRows rows) {
        ListCommand.table(rows.list(), clock).lines().forEach(line -> out.println(line.isEmpty() ? "" : "   " + line));
        out.flush();
    }

    private void step(String text) {
        say("");
        say(text);
    }

    private void say(String text) {
        out.println(text);
        out.flush();
    }

    /** Polls until condition holds. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new RefusedException("demo: waited " + Durations.seconds(STEP_TIMEOUT) + " for " + what + "; giving up");
            }
            Thread.sleep(50);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
