package dev.supervisor.cli.command;

import java.time.Duration;
import picocli.CommandLine.Model;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The operands of {@code restart}, {@code stop} and {@code start} (a picocli mixin): the row's name and how long to wait. */
final class RowVerbOptions {

    /** The longest a verb may be told to wait: one hour. */
    static final int MAX_TIMEOUT_SECONDS = 3600;

    @Spec(Spec.Target.MIXEE)
    private Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "NAME", description = "The process's name.")
    String name;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for the daemon (default: ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    /** {@code --timeout} as a duration; a usage error outside 1..3600. */
    Duration timeout() {
        if (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
            throw new ParameterException(command.commandLine(), "--timeout must be within 1.." + MAX_TIMEOUT_SECONDS
                    + " seconds, was " + timeoutSeconds);
        }
        return Duration.ofSeconds(timeoutSeconds);
    }
}
