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

/** {@code start NAME}: resumes a row stopped with {@code stop NAME}; the daemon starts its command. */
@Command(name = "start", description = {"Starts a row stopped with: supervisor stop NAME (resumes it), or given up "
        + "(GIVEN_UP) or completed (COMPLETED): its failures are forgiven and it starts at once.",
        "Waits until its command is RUNNING and prints its pid; exits 1 if it fails to start or the wait times out. "
                + "A row that is running or waiting in backoff is left as it is."})
public final class StartCommand implements Callable<Integer> {

    /** States in which a row has no process and none is coming: start asks its daemon for one (a restart request). */
    private static final java.util.Set<String> ENDED = java.util.Set.of("GIVEN_UP", "COMPLETED");

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
        record Resumed(ListedProcess before, boolean daemonLive) {
        }
        Resumed resumed = target.withRows(rows -> {
            ListedProcess row = rows.find(name).orElseThrow(() -> Verbs.unknown(name));
            if (row.paused() && !rows.setPaused(name, false)) {
                throw Verbs.unknown(name);
            }
            boolean live = rows.daemonLive();
            if (!row.paused() && ENDED.contains(row.state()) && live && !rows.requestRestart(name)) {
                throw Verbs.unknown(name);
            }
            return new Resumed(row, live);
        });
        ListedProcess before = resumed.before();
        if (!before.paused() && !(ENDED.contains(before.state()) && resumed.daemonLive())) {
            command.commandLine().getOut().println(name + " is not stopped (" + before.state() + "); nothing to start");
            return 0;
        }
        if (!resumed.daemonLive()) {
            command.commandLine().getOut().println("resumed " + name + "; it starts once a daemon runs");
            command.commandLine().getErr().println(target.noDaemonWarning());
            return 0;
        }
        ListedProcess after = new RowWatch(target, name).await(timeout, row -> Verbs.newAttempt(before, row)
                && (row.state().equals("RUNNING") || !row.hasProcess()));
        if (!Verbs.newAttempt(before, after)) {
            throw new RefusedException(name + " is resumed, but was not started within " + Durations.seconds(timeout)
                    + " (now " + after.state() + "); see supervisor status " + name);
        }
        return Verbs.reportStarted(command, "started", after);
    }
}
