package dev.supervisor.cli.process;

import dev.supervisor.ProcessContext;
import dev.supervisor.ProcessExit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the daemon tells each attempt of a command, as environment variables (names as
 * supervisord's where it has one):
 *
 * <ul>
 *   <li>{@code SUPERVISOR_PROCESS_NAME}: the row's name;
 *   <li>{@code SUPERVISOR_ATTEMPT}: 1 on the first start, incremented on every restart;
 *   <li>{@code SUPERVISOR_PREVIOUS_EXIT}: empty on attempt 1, else how the previous attempt
 *       ended: {@code exit:N}, {@code signal:NAME} (such as {@code signal:KILL}), {@code stopped},
 *       or {@code failed} when it never ran (its program could not be started);
 *   <li>{@code SUPERVISOR_EPOCH}: in cluster mode only, the fencing token of this node's lease on the row.
 * </ul>
 */
final class AttemptEnvironment {

    private AttemptEnvironment() {
    }

    /** The variables for the attempt of context. */
    static Map<String, String> of(String name, ProcessContext context, boolean cluster) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SUPERVISOR_PROCESS_NAME", name);
        env.put("SUPERVISOR_ATTEMPT", Integer.toString(context.attempt()));
        env.put("SUPERVISOR_PREVIOUS_EXIT", context.previousExit().map(AttemptEnvironment::describe).orElse(""));
        if (cluster) {
            env.put("SUPERVISOR_EPOCH", Long.toString(context.epoch()));
        }
        return env;
    }

    /** {@code exit:3}, {@code signal:KILL}, {@code stopped} or {@code failed}. */
    static String describe(ProcessExit exit) {
        return switch (exit.kind()) {
            case SUCCEEDED -> "exit:0";
            case STOPPED, CANCELLED -> "stopped";
            case FAILED, START_FAILED -> exit.error().filter(CommandFailure.class::isInstance).map(CommandFailure.class::cast)
                    .flatMap(failure -> failure.exitCode().isPresent()
                            ? java.util.Optional.of(CommandFailure.describeCode(failure.exitCode().getAsInt()))
                            : java.util.Optional.empty())
                    .orElse("failed");
        };
    }
}
