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

/**
 * {@code restart NAME}: asks the daemon that runs the row to restart its command (graceful stop,
 * immediate start, not a failure) through the table's restart-request counter, then waits until
 * the new attempt is RUNNING.
 */
@Command(name = "restart", description = {"Restarts a row's command: SIGTERM to its process tree (SIGKILL after the "
        + "daemon's stop timeout), then a new start at once with the row as it is now. Not counted as a failure; "
        + "the backoff is untouched. A row waiting in backoff, given up or completed is started at once.",
        "Waits until the new attempt is RUNNING and prints its pid; exits 1 if it fails to start or the wait times out."})
public final class RestartCommand implements Callable<Integer> {

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
        ListedProcess before = target.withRows(rows -> {
            ListedProcess row = rows.find(name).orElseThrow(() -> Verbs.unknown(name));
            if (row.paused()) {
                throw new RefusedException(name + " is stopped (PAUSED); start it with: supervisor start " + name);
            }
            if (!rows.daemonLive()) {
                throw new RefusedException("cannot restart " + name + ": " + target.noDaemon());
            }
            if (!rows.requestRestart(name)) {
                throw Verbs.unknown(name);
            }
            return row;
        });
        ListedProcess after = new RowWatch(target, name).await(timeout, row -> Verbs.newAttempt(before, row)
                && (row.state().equals("RUNNING") || !row.hasProcess()));
        if (!Verbs.newAttempt(before, after)) {
            throw new RefusedException(name + " was not restarted within " + Durations.seconds(timeout) + " (now "
                    + after.state() + "); the daemon goes on with it: see supervisor status " + name);
        }
        return Verbs.reportStarted(command, "restarted", after);
    }
}
