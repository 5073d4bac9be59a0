package dev.supervisor.cli.command;

import dev.supervisor.cli.Home;
import dev.supervisor.cli.Main;
import dev.supervisor.cli.RefusedException;
import dev.supervisor.cli.process.LogTail;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code logs NAME [--lines N] [--follow]}: the captured output of a process. */
@Command(name = "logs", description = "Prints the last lines of a process's captured stdout and stderr "
        + "(HOME/logs/NAME.log, rotated by size); with --stderr, its stderr when kept separate (--stderr separate).")
public final class LogsCommand implements Callable<Integer> {

    @ParentCommand
    private Main main;

    @Spec
    private Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "NAME", description = "The process's name.")
    private String name;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "20",
            description = "How many lines (default: ${DEFAULT-VALUE}).")
    private int lines;

    @Option(names = {"-f", "--follow"}, description = "Then print what the process writes, until interrupted (Ctrl-C).")
    private boolean follow;

    @Option(names = "--stderr", description = "Its stderr, for a row added with --stderr separate (HOME/logs/stderr/NAME.log).")
    private boolean stderr;

    @Override
    public Integer call() throws IOException {
        if (lines < 0) {
            throw new picocli.CommandLine.ParameterException(command.commandLine(), "--lines must be >= 0, was " + lines);
        }
        Home home = main.home();
        LogTail tail = new LogTail(stderr ? home.errorLogFile(name) : home.logFile(name));
        if (!tail.exists() && !main.database().withRows(rows -> rows.exists(name))) {
            throw new RefusedException("no process named " + dev.supervisor.cli.PayloadFields.shown(name) + " (no row, and no "
                    + (stderr ? "stderr log in " + home.errorLogFile(name).getParent() : "log in " + home.logs()) + ")");
        }
        PrintStream out = System.out;
        long position = tail.writeLast(lines, out);
        if (follow) {
            try {
                tail.follow(position, out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return 0;
    }
}
