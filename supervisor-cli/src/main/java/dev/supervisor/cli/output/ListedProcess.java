package dev.supervisor.cli.output;

import dev.supervisor.cli.CommandSpec;
import dev.supervisor.cli.RestartModes;
import dev.supervisor.web.ProcessView;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One row of {@code list} and {@code status}: a desired row joined with its latest status. Its
 * {@link #toJson()} is the one JSON object of a row, for {@code list --json}, {@code status --json}
 * and the status page's API: the {@link ProcessView} of supervisor-web.
 *
 * @param name the row's name
 * @param spec the command, or empty when the payload is not one
 * @param payloadError why the payload is not a command
 * @param state {@code RUNNING} and the other states of the status table, or {@link #PENDING} when no
 *     daemon has reported on the row yet, {@link #INVALID} when its payload is not a command;
 *     {@code PAUSED} for a paused row without a process
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
 * @param paused whether the row is paused ({@code supervisor stop})
 * @param nextAttemptAt when the next attempt is due, while the row waits in {@code BACKOFF}
 * @param health the latest result of its health checks, if it has any
 */
public record ListedProcess(String name, Optional<CommandSpec> spec, Optional<String> payloadError, String state,
        OptionalLong pid, Optional<Instant> processStartedAt, int attempt, int restarts, Optional<Instant> startedAt,
        Optional<Instant> runningSince, Optional<String> lastExitKind, OptionalInt exitCode, Optional<String> lastError,
        Optional<String> node, Optional<Instant> updatedAt, boolean paused, Optional<Instant> nextAttemptAt,
        Optional<String> health) {

    /** The state of a row no daemon has reported on: none is running, or it has not seen the row yet. */
    public static final String PENDING = "PENDING";
    /** The state of a row whose payload is not a command; the daemon skips it. */
    public static final String INVALID = "INVALID";
    /** The state of a paused row without a process. */
    public static final String PAUSED = "PAUSED";
    /** The status table's states while a process exists. */
    private static final java.util.Set<String> PROCESS_STATES = java.util.Set.of("STARTING", "RUNNING", "STOPPING");

    /** Whether a process exists for the row (starting, running or stopping), as far as the status says. */
    public boolean hasProcess() {
        return PROCESS_STATES.contains(state);
    }

    /**
     * The state to show for a row: the reported one, except that a paused row shows
     * {@link #PAUSED} as soon as no process is reported for it (no daemon has to report on it first).
     */
    public static String state(String reported, boolean paused) {
        return paused && !PROCESS_STATES.contains(reported) ? PAUSED : reported;
    }

    /** The JSON object of this row ({@code list --json}, {@code status --json}, the status page's API). */
    public Map<String, Object> toJson() {
        return view().toJson();
    }

    /** This row as the status page shows it. */
    public ProcessView view() {
        return ProcessView.builder(name, state)
                .pid(pid.isPresent() ? pid.getAsLong() : null)
                .processStartedAt(processStartedAt.orElse(null))
                .attempt(attempt)
                .restarts(restarts)
                .startedAt(startedAt.orElse(null))
                .runningSince(runningSince.orElse(null))
                .nextAttemptAt(nextAttemptAt.orElse(null))
                .paused(paused)
                .lastExit(exitCode.isPresent() ? exitCode.getAsInt() : null)
                .lastExitKind(lastExitKind.orElse(null))
                .lastError(lastError.or(() -> payloadError).orElse(null))
                .reason(reason().orElse(null))
                .health(health.orElse(null))
                .command(spec.map(CommandSpec::argv).orElse(null))
                .restart(spec.map(s -> RestartModes.name(s.restart())).orElse(null))
                .dir(spec.flatMap(CommandSpec::dir).map(Object::toString).orElse(null))
                .node(node.orElse(null))
                .updatedAt(updatedAt.orElse(null))
                .build();
    }

    /**
     * Why the row is given up, for people: {@code 4 failed starts in a row (start retries: 3)},
     * {@code more than 5 failures within 60 s}; empty in any other state. Start, restart or an
     * UPDATE of the row lifts it.
     */
    public Optional<String> reason() {
        if (!state.equals("GIVEN_UP")) {
            return Optional.empty();
        }
        boolean failedStart = lastExitKind.map(k -> k.equals("START_FAILED")).orElse(false);
        return Optional.of(spec.map(s -> {
            if (lastError.map(e -> e.startsWith("refused: ")).orElse(false)) {
                return "refused twice by the daemon's --allow list";
            }
            return s.settings().giveUpReason(failedStart);
        }).orElse("too many failures") + "; start, restart or an update of the row lifts it");
    }
}
