package dev.supervisor;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One row as the supervisor needs it for a single key: its decoded value, whether it is paused,
 * its revision, and its restart-request counter. Immutable. See {@link Table#row}.
 *
 * @param value the decoded value
 * @param paused true if the row is paused: the key keeps its status and has no process
 * @param revision a number that changes whenever the row's value changes; empty when the table
 *     does not report revisions (updates of such rows are then not detected)
 * @param restartRequests the row's restart-request counter (see {@link Table#requestRestart}); 0 for
 *     tables without one
 */
public record RowState<V>(V value, boolean paused, OptionalLong revision, long restartRequests) {

    /** Checks that value and revision are present. */
    public RowState {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(revision, "revision");
    }

    /** A row without a restart-request counter (it reads as 0). */
    public RowState(V value, boolean paused, OptionalLong revision) {
        this(value, paused, revision, 0);
    }

    /** A row that is not paused and reports no revision: what {@link Table#row}'s default returns. */
    public static <V> RowState<V> of(V value) {
        return new RowState<>(value, false, OptionalLong.empty());
    }
}
