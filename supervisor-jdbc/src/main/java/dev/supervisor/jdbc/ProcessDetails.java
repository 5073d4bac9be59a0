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
 * the {@code exit_code} of the latest exit. Give {@link StatusWriter.Builder#processDetails} a
 * function that tells them for a status. Immutable.
 *
 * @param pid the process id, while a process exists
 * @param startedAt when the OS started that process
 * @param exitCode the latest exit's code, once a process exited with one
 */
public record ProcessDetails(OptionalLong pid, Optional<Instant> startedAt, OptionalInt exitCode) {

    /** Nothing known: every column null. */
    public static final ProcessDetails NONE = new ProcessDetails(OptionalLong.empty(), Optional.empty(), OptionalInt.empty());

    /** Checks that every part is present (possibly empty). */
    public ProcessDetails {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(exitCode, "exitCode");
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
