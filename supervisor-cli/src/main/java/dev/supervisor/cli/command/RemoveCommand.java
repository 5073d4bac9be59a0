package dev.supervisor.cli.command;

import dev.supervisor.cli.Main;
import dev.supervisor.cli.RefusedException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code remove NAME}: deletes a row; the daemon retires its process. */
@Command(name = "remove", description = "Removes a row: the running daemon stops its command (SIGTERM to the whole "
        + "process tree, SIGKILL after the stop timeout) and does not start it again.")
public final class RemoveCommand implements Callable<Integer> {

    @ParentCommand
    private Main main;

    @Spec
    private Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "NAME", description = "The process's name.")
    private String name;

    @Override
    public Integer call() {
        if (!main.database().withRows(rows -> rows.remove(name))) {
            throw Verbs.unknown(name);
        }
        command.commandLine().getOut().println("removed " + name);
        return 0;
    }
}
