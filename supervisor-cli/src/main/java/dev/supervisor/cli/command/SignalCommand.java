package dev.supervisor.cli.command;

import dev.supervisor.cli.Main;
import dev.supervisor.cli.Signal;
import dev.supervisor.cli.daemon.SignalSender;
import dev.supervisor.cli.output.ListedProcess;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code signal NAME SIG}: sends a signal to a row's command and its group, without restarting it. */
@Command(name = "signal", description = {"Sends a signal to a row's command and every process of its group, without "
        + "restarting it: e.g. HUP to reload its configuration.",
        "Works where the command runs (this host); exits 1 if it has no process."},
        footer = {"", "Example: supervisor signal web HUP"})
public final class SignalCommand implements Callable<Integer> {

    @ParentCommand
    private Main main;

    @Spec
    private Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "NAME", description = "The process's name.")
    private String name;

    @Parameters(index = "1", paramLabel = "SIG", description = "The signal: HUP, INT, QUIT, USR1, USR2, TERM, KILL, ... "
            + "(with or without SIG), or its number.")
    private String signal;

    @Override
    public Integer call() {
        Signal sig;
        try {
            sig = Signal.parse(signal);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
        ListedProcess row = main.database().withRows(rows -> rows.find(name)).orElseThrow(() -> Verbs.unknown(name));
        command.commandLine().getOut().println(SignalSender.send(main.home(), row, sig));
        return 0;
    }
}
