package dev.supervisor.cli.command;

import dev.supervisor.cli.CommandSpec;
import dev.supervisor.cli.Main;
import dev.supervisor.cli.RestartModes;
import dev.supervisor.cli.RowSettings;
import dev.supervisor.cli.output.Durations;
import dev.supervisor.cli.output.Json;
import dev.supervisor.cli.output.ListedProcess;
import dev.supervisor.cli.output.ShellWords;
import dev.supervisor.cli.output.TextTable;
import dev.supervisor.cli.process.CommandFailure;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code status NAME [--json]}: one row in full. */
@Command(name = "status", description = "Shows one row in full: state, pid, attempt, restarts, uptime, next attempt, "
        + "last exit and error, command, node.")
public final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    private Main main;

    @Spec
    private Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "NAME", description = "The process's name.")
    private String name;

    @Option(names = "--json", description = "Print the row's JSON object, the same as its element of list --json.")
    private boolean json;

    @Override
    public Integer call() {
        record Found(ListedProcess row, Optional<String> limits) {
        }
        Found found = main.database().withRows(rows -> {
            ListedProcess row = rows.find(name).orElseThrow(() -> Verbs.unknown(name));
            return new Found(row, row.node().flatMap(rows::limitsOf));
        });
        ListedProcess row = found.row();
        PrintWriter out = command.commandLine().getOut();
        out.print(json ? Json.write(row.toJson()) + "\n" : describe(row, Clock.systemUTC(), found.limits()));
        out.flush();
        return 0;
    }

    /** The row for people: one {@code field: value} line per field, aligned. */
    static String describe(ListedProcess row, Clock clock) {
        return describe(row, clock, Optional.empty());
    }

    /** The row for people, with what its daemon can limit (its {@code limits} line) when known. */
    static String describe(ListedProcess row, Clock clock, Optional<String> daemonLimits) {
        TextTable lines = new TextTable("name:", row.name());
        lines.row("state:", row.state() + (row.paused() ? " (stopped; start it with: supervisor start " + row.name() + ")" : "")
                + row.reason().map(r -> " (" + r + ")").orElse(""));
        lines.row("pid:", row.pid().isPresent() ? Long.toString(row.pid().getAsLong()) : "-");
        lines.row("attempt:", Integer.toString(row.attempt()));
        lines.row("restarts:", Integer.toString(row.restarts()));
        lines.row("uptime:", row.state().equals("RUNNING") ? since(row.runningSince(), clock) : "-");
        lines.row("next attempt:", row.nextAttemptAt().map(at -> at + " (in " + Durations.compact(
                Duration.between(clock.instant(), at)) + ")").orElse("-"));
        lines.row("last exit:", row.lastExitKind().map(kind -> kind + (row.exitCode().isPresent()
                ? " (" + CommandFailure.describeExit(row.exitCode().getAsInt()) + ")" : "")).orElse("-"));
        lines.row("last error:", row.lastError().or(row::payloadError).orElse("-"));
        lines.row("command:", row.spec().map(s -> ShellWords.join(s.argv())).orElse("?"));
        lines.row("restart:", row.spec().map(s -> RestartModes.name(s.restart())).orElse("-"));
        row.spec().map(CommandSpec::settings).filter(RowSettings::hasLimits).ifPresent(s -> lines.row("limits:",
                s.describeLimits() + daemonLimits.map(d -> d.startsWith("none") ? " (not applied: the daemon can apply none "
                        + "on its host)" : "").orElse("")));
        row.spec().flatMap(s -> s.settings().ready()).ifPresent(c -> lines.row("ready when:", c.describe()));
        row.spec().flatMap(s -> s.settings().health()).ifPresent(c -> lines.row("health check:", c.describe() + " every "
                + Durations.seconds(c.interval()) + ", " + c.failures() + " failures in a row restart it"));
        if (row.health().isPresent() || row.spec().map(s -> s.settings().health().isPresent() || s.settings().ready()
                .isPresent()).orElse(false)) {
            lines.row("health:", row.health().orElse("-"));
        }
        lines.row("dir:", row.spec().flatMap(CommandSpec::dir).map(Object::toString).orElse("-"));
        lines.row("node:", row.node().orElse("-"));
        lines.row("updated:", row.updatedAt().map(Instant::toString).orElse("-"));
        return lines.render();
    }

    private static String since(Optional<Instant> since, Clock clock) {
        return since.map(at -> Durations.compact(Duration.between(at, clock.instant()))).orElse("-");
    }
}
