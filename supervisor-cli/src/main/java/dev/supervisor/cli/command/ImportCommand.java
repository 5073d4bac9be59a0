package dev.supervisor.cli.command;

import dev.supervisor.cli.CommandSpec;
import dev.supervisor.cli.DatabaseTarget;
import dev.supervisor.cli.Main;
import dev.supervisor.cli.ProcessRows;
import dev.supervisor.cli.RefusedException;
import dev.supervisor.cli.RestartModes;
import dev.supervisor.cli.RowSettings;
import dev.supervisor.cli.output.ShellWords;
import dev.supervisor.cli.supervisord.SupervisordImport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code import supervisord.conf [--dry-run]}: every [program:x] of a supervisord configuration becomes a row. */
@Command(name = "import", description = {"Adds a row for each [program:x] of a supervisord configuration (each of its "
        + "numprocs processes), with its [include] files and [group:x] sections: all of them, or none when one is wrong "
        + "or exists already.",
        "Prints each row, and per program the options that have no equivalent and were left out."},
        footer = {"", "Example: supervisor import /etc/supervisor/supervisord.conf --dry-run"})
public final class ImportCommand implements Callable<Integer> {

    @ParentCommand
    private Main main;

    @Spec
    private Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "FILE", description = "supervisord.conf, or any file of its format.")
    private Path file;

    @Option(names = "--dry-run", description = "Print what would be added, and add nothing.")
    private boolean dryRun;

    @Override
    public Integer call() {
        SupervisordImport.Result result;
        try {
            result = SupervisordImport.withSystem().read(file);
        } catch (IllegalArgumentException e) {
            throw new RefusedException("cannot import " + file + ": " + e.getMessage() + "; nothing was added", e);
        } catch (IOException e) {
            throw new RefusedException("cannot read " + e.getMessage() + "; nothing was added", e);
        }
        List<ProcessRows.NewRow> rows = new ArrayList<>();
        for (SupervisordImport.Row row : result.rows()) {
            rows.add(new ProcessRows.NewRow(row.name(), row.spec(), row.paused(), row.group(), row.position()));
        }
        PrintWriter out = command.commandLine().getOut();
        if (!dryRun) {
            DatabaseTarget target = main.database();
            boolean daemonLive = target.withRows(r -> {
                r.addAll(rows);
                return r.daemonLive();
            });
            if (!daemonLive) {
                command.commandLine().getErr().println(target.noDaemonWarning());
            }
        }
        out.println((dryRun ? "would add " : "added ") + rows.size() + " row" + (rows.size() == 1 ? "" : "s") + " from " + file
                + (dryRun ? " (--dry-run: nothing added)" : "") + ":");
        for (ProcessRows.NewRow row : rows) {
            out.println("  " + row.name() + ": " + describe(row));
        }
        if (!result.notMapped().isEmpty()) {
            out.println("not mapped (left out):");
            for (Map.Entry<String, List<String>> program : result.notMapped().entrySet()) {
                out.println("  " + program.getKey() + ": " + String.join(", ", program.getValue()));
            }
        }
        if (!result.ignored().isEmpty()) {
            out.println("ignored sections: " + String.join(", ", result.ignored()));
        }
        out.flush();
        return 0;
    }

    /** A row for people: its command, then its settings as add's options. */
    private static String describe(ProcessRows.NewRow row) {
        CommandSpec spec = row.spec();
        RowSettings s = spec.settings();
        List<String> parts = new ArrayList<>();
        parts.add(ShellWords.join(spec.argv()));
        List<String> options = new ArrayList<>();
        options.add("--restart " + RestartModes.name(spec.restart()));
        spec.dir().ifPresent(d -> options.add("--dir " + ShellWords.quote(d.toString())));
        spec.env().keySet().forEach(k -> options.add("--env " + k + "=..."));
        s.user().ifPresent(u -> options.add("--user " + u));
        if (!s.successExitCodes().equals(List.of(0))) {
            options.add("--success-exit-codes " + String.join(",", s.successExitCodes().stream().map(String::valueOf).toList()));
        }
        if (!s.startGrace().equals(RowSettings.DEFAULT_START_GRACE)) {
            options.add("--start-grace " + dev.supervisor.cli.PayloadFields.secondsValue(s.startGrace()).toPlainString());
        }
        if (s.startRetries() != RowSettings.DEFAULT_START_RETRIES) {
            options.add("--start-retries " + s.startRetries());
        }
        s.stopSignal().ifPresent(sig -> options.add("--stop-signal " + sig.name()));
        s.stopTimeout().ifPresent(t -> options.add("--stop-timeout " + dev.supervisor.cli.PayloadFields.secondsValue(t)
                .toPlainString()));
        options.add("--stderr " + (s.stderrSeparate() ? "separate" : "merged"));
        s.logSize().ifPresent(b -> options.add("--log-size " + dev.supervisor.cli.PayloadFields.sizeText(b)));
        s.logFiles().ifPresent(n -> options.add("--log-files " + n));
        row.group().ifPresent(g -> options.add("group " + g + " at " + row.position()));
        if (row.paused()) {
            options.add("stopped (autostart=false: supervisor start " + row.name() + ")");
        }
        return parts.getFirst() + "  [" + String.join(" ", options) + "]";
    }
}
