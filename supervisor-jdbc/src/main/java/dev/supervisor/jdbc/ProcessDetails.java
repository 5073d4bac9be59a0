package dev.supervisor.jdbc;

import dev.supervisor.ProcessStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What the status table records about the operating-system process behind a status, for
 * supervisors whose processes are OS processes (the daemon): its {@code pid}, when that process
 * started ({@code process_started_at}: a pid alone can be reused later by an unrelated process), and
 * the {@code exit_code} of the latest exit, a finer kind of that exit than {@link
 * dev.supervisor.ProcessExit.Kind} where the supervisor knows one (the daemon's {@code oom-killed},
 * {@code unhealthy}: written to {@code last_exit} instead of the kind's name), and the latest
 * result of its health checks ({@code health}). Give {@link StatusWriter.Builder#processDetails} a
 * function that tells them for a status. Immutable.
 *
 * @param pid the process id, while a process exists
 * @param startedAt when the OS started that process
 * @param exitCode the latest exit's code, once a process exited with one
 * @param exitKind the latest exit's finer kind (at most 16 characters), written to {@code last_exit}
 *     instead of the {@link dev.supervisor.ProcessExit.Kind}'s name; empty to write that name
 * @param health the latest result of the process's health checks, for people (cut to 1000 characters)
 */
public record ProcessDetails(OptionalLong pid, Optional<Instant> startedAt, OptionalInt exitCode, Optional<String> exitKind,
        Optional<String> health) {

    /** Nothing known: every column null. */
    public static final ProcessDetails NONE = new ProcessDetails(OptionalLong.empty(), Optional.empty(), OptionalInt.empty());

    /** Details without an exit kind or a health result. */
    public ProcessDetails(OptionalLong pid, Optional<Instant> startedAt, OptionalInt exitCode) {
        this(pid, startedAt, exitCode, Optional.empty(), Optional.empty());
    }

    /** Checks that every part is present (possibly empty), and that an exit kind fits its column. */
    public ProcessDetails {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(exitKind, "exitKind");
        Objects.requireNonNull(health, "health");
        if (exitKind.isPresent() && (exitKind.get().isEmpty() || exitKind.get().length() > 16)) {
            throw new IllegalArgumentException("exitKind must be 1 to 16 characters, was '" + exitKind.get() + "'");
        }
    }

    /**
     * Tells the details of the process behind a status. Called once per status change, when the
     * change is recorded (on the listener's thread, before the status is written); must be quick,
     * thread-safe, and must not return null.
     *
     * @param <K> the key type
     */
    @FunctionalInterface
    public interface Source<K> {

        /** The details for status. */
        ProcessDetails of(ProcessStatus<K> status);
    }
}
