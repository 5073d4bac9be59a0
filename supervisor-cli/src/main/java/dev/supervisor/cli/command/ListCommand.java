package dev.supervisor.cli.command;

import dev.supervisor.cli.DatabaseTarget;
import dev.supervisor.cli.Main;
import dev.supervisor.cli.output.Durations;
import dev.supervisor.cli.output.Json;
import dev.supervisor.cli.output.ListedProcess;
import dev.supervisor.cli.output.ShellWords;
import dev.supervisor.cli.output.TextTable;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code list [--json]}: every row with what the daemon reports about it. */
@Command(name = "list", description = "Lists every row with its state, pid, restarts and last exit.",
        footer = {"", "States: RUNNING, STARTING, STOPPING, STOPPED, BACKOFF (restart pending), GIVEN_UP, COMPLETED,",
                "PAUSED (stopped with supervisor stop NAME, until supervisor start NAME);",
                "PENDING: no daemon has reported on the row (none runs, or it has not seen it yet);",
                "INVALID: the row's payload is not a command: no process runs for it, lastError says why."})
public final class ListCommand implements Callable<Integer> {

    @ParentCommand
    private Main main;

    @Spec
    private Model.CommandSpec command;

    @Option(names = "--json", description = "Print a JSON array, one object per row: name, state, pid, processStartedAt, "
            + "attempt, restarts, startedAt, runningSince, nextAttemptAt, paused, lastExit (exit code), lastExitKind, "
            + "lastError, command, restart, dir, node, updatedAt.")
    private boolean json;

    @Override
    public Integer call() {
        DatabaseTarget target = main.database();
        record Listing(List<ListedProcess> rows, boolean daemonLive) {
        }
        Listing listing = target.withRows(rows -> new Listing(rows.list(), rows.daemonLive()));
        List<ListedProcess> rows = listing.rows();
        if (!listing.daemonLive()) {
            command.commandLine().getErr().println(target.noDaemonWarning());
        }
        PrintWriter out = command.commandLine().getOut();
        out.print(json ? Json.writeLines(rows.stream().map(ListedProcess::toJson).toList()) + "\n"
                : table(rows, Clock.systemUTC()));
        out.flush();
        return 0;
    }

    /** The aligned table for people, with a note under it for each row that failed. */
    static String table(List<ListedProcess> rows, Clock clock) {
        if (rows.isEmpty()) {
            return "no processes; add one with: supervisor add NAME -- CMD [ARG]...\n";
        }
        TextTable table = new TextTable("NAME", "STATE", "PID", "RESTARTS", "UPTIME", "LAST EXIT", "COMMAND");
        StringBuilder notes = new StringBuilder();
        for (ListedProcess row : rows) {
            String uptime = row.state().equals("RUNNING")
                    ? row.runningSince().map(since -> Durations.compact(Duration.between(since, clock.instant()))).orElse("-")
                    : "-";
            table.row(row.name(), row.state(),
                    row.pid().isPresent() ? Long.toString(row.pid().getAsLong()) : "-",
                    Integer.toString(row.restarts()), uptime,
                    row.exitCode().isPresent() ? Integer.toString(row.exitCode().getAsInt()) : "-",
                    row.spec().map(s -> ShellWords.join(s.argv())).orElse("?"));
            row.lastError().or(row::payloadError).ifPresent(error -> notes.append("  ").append(row.name()).append(": ")
                    .append(error).append('\n'));
        }
        return table.render() + (notes.isEmpty() ? "" : "\n" + notes);
    }
}
