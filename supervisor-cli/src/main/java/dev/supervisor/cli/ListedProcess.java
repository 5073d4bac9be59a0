package dev.supervisor.cli;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One row of {@code list}: a desired row joined with its latest status.
 *
 * @param name the row's name
 * @param spec the command, or empty when the payload is not one
 * @param payloadError why the payload is not a command
 * @param state {@code RUNNING} and the other states of the status table, or {@link #PENDING} when no
 *     daemon has reported on the row yet, {@link #INVALID} when its payload is not a command
 * @param pid the process id while a process exists
 * @param processStartedAt when the OS started that process
 * @param attempt the current or latest attempt (0 before the first)
 * @param restarts how often it was started again
 * @param startedAt when the current or latest attempt started
 * @param runningSince when it became RUNNING
 * @param lastExitKind how the latest attempt ended ({@code FAILED}, {@code START_FAILED}, ...)
 * @param exitCode the latest exit's code
 * @param lastError why the latest attempt failed
 * @param node which daemon reported the status
 * @param updatedAt when it reported it
 */
record ListedProcess(String name, Optional<CommandSpec> spec, Optional<String> payloadError, String state,
        OptionalLong pid, Optional<Instant> processStartedAt, int attempt, int restarts, Optional<Instant> startedAt,
        Optional<Instant> runningSince, Optional<String> lastExitKind, OptionalInt exitCode, Optional<String> lastError,
        Optional<String> node, Optional<Instant> updatedAt) {

    /** The state of a row no daemon has reported on: none is running, or it has not seen the row yet. */
    static final String PENDING = "PENDING";
    /** The state of a row whose payload is not a command; the daemon skips it. */
    static final String INVALID = "INVALID";

    /** The {@code list --json} object. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("state", state);
        json.put("pid", pid.isPresent() ? pid.getAsLong() : null);
        json.put("processStartedAt", text(processStartedAt));
        json.put("attempt", attempt);
        json.put("restarts", restarts);
        json.put("startedAt", text(startedAt));
        json.put("runningSince", text(runningSince));
        json.put("lastExit", exitCode.isPresent() ? exitCode.getAsInt() : null);
        json.put("lastExitKind", lastExitKind.orElse(null));
        json.put("lastError", lastError.or(() -> payloadError).orElse(null));
        json.put("command", spec.map(CommandSpec::argv).orElse(null));
        json.put("restart", spec.map(s -> RestartModes.name(s.restart())).orElse(null));
        json.put("dir", spec.flatMap(CommandSpec::dir).map(Object::toString).orElse(null));
        json.put("node", node.orElse(null));
        json.put("updatedAt", text(updatedAt));
        return json;
    }

    private static String text(Optional<Instant> instant) {
        return instant.map(Instant::toString).orElse(null);
    }
}
