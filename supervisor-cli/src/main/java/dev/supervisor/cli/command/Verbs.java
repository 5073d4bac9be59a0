package dev.supervisor.cli.command;

import dev.supervisor.cli.RefusedException;
import dev.supervisor.cli.output.ListedProcess;
import picocli.CommandLine.Model;

/** What {@code restart}, {@code stop}, {@code start} and {@code status} share: messages and the test for a new attempt. */
final class Verbs {

    private Verbs() {
    }

    /** The refusal for a name without a row (exit 1). */
    static RefusedException unknown(String name) {
        return new RefusedException("no process named " + dev.supervisor.cli.PayloadFields.shown(name));
    }

    /** True if {@code now} reports a later attempt than {@code before} (or one on another daemon). */
    static boolean newAttempt(ListedProcess before, ListedProcess now) {
        return now.attempt() > before.attempt() || (now.node().isPresent() && !now.node().equals(before.node())
                && now.attempt() > 0);
    }

    /**
     * Prints {@code verb NAME: pid P, attempt A} for a row whose new attempt runs, and returns 0;
     * refuses (exit 1) with its error when the new attempt failed instead.
     */
    static int reportStarted(Model.CommandSpec command, String verb, ListedProcess row) {
        if (!row.state().equals("RUNNING")) {
            throw new RefusedException(row.name() + ": attempt " + row.attempt() + " did not run: " + row.state()
                    + row.lastError().map(error -> " (" + error + ")").orElse(""));
        }
        command.commandLine().getOut().println(verb + " " + row.name() + ": pid "
                + (row.pid().isPresent() ? Long.toString(row.pid().getAsLong()) : "-") + ", attempt " + row.attempt());
        return 0;
    }
}
