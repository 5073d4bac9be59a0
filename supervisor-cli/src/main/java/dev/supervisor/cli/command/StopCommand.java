package dev.supervisor.cli.command;

import dev.supervisor.cli.DatabaseTarget;
import dev.supervisor.cli.Main;
import dev.supervisor.cli.RefusedException;
import dev.supervisor.cli.output.Durations;
import dev.supervisor.cli.output.ListedProcess;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code stop NAME}: pauses the row; the daemon stops its command, which stays stopped until {@code start NAME}. */
@Command(name = "stop", description = {"Stops a row's command and keeps it stopped: the row is paused (it stays in the "
        + "table, state PAUSED) until: supervisor start NAME. SIGTERM to its process tree, SIGKILL after the daemon's "
        + "stop timeout.", "Waits until the command has stopped."})
public final class StopCommand implements Callable<Integer> {

    @ParentCommand
    private Main main;

    @Spec
    private Model.CommandSpec command;

    @Mixin
    private RowVerbOptions options;

    @Override
    public Integer call() {
        String name = options.name;
        Duration timeout = options.timeout();
        DatabaseTarget target = main.database();
        boolean daemonLive = target.withRows(rows -> {
            if (!rows.setPaused(name, true)) {
                throw Verbs.unknown(name);
            }
            return rows.daemonLive();
        });
        if (!daemonLive) {
            command.commandLine().getOut().println("stopped " + name + " (PAUSED until: supervisor start " + name + ")");
            command.commandLine().getErr().println(target.noDaemonWarning());
            return 0;
        }
        ListedProcess after = new RowWatch(target, name).await(timeout, row -> row.state().equals(ListedProcess.PAUSED));
        if (!after.state().equals(ListedProcess.PAUSED)) {
            throw new RefusedException(name + " is paused, but its command had not stopped within "
                    + Durations.seconds(timeout) + " (now " + after.state() + "); the daemon goes on stopping it");
        }
        command.commandLine().getOut().println("stopped " + name + " (PAUSED until: supervisor start " + name + ")");
        return 0;
    }
}
