package dev.supervisor;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One row as the supervisor needs it for a single key: its decoded value, whether it is paused,
 * its revision, its restart-request counter and its group. Immutable. See {@link Table#row}: the
 * supervisor checks a single key (a change signal, {@code start(key)}) with that one read.
 *
 * @param value the decoded value
 * @param paused true if the row is paused: the key keeps its status and has no process
 * @param revision a number that changes whenever the row's value changes; empty when the table
 *     does not report revisions (updates of such rows are then not detected)
 * @param restartRequests the row's restart-request counter (see {@link Table#requestRestart}); 0 for
 *     tables without one
 * @param group the row's group (see {@link Cursor#group()}); empty when it names none, or the table
 *     has no groups
 */
public record RowState<V>(V value, boolean paused, OptionalLong revision, long restartRequests,
                          Optional<GroupMembership> group) {

    /** Checks that value, revision and group are present. */
    public RowState {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(group, "group");
    }

    /** A row in no group (the constructor of earlier versions). */
    public RowState(V value, boolean paused, OptionalLong revision, long restartRequests) {
        this(value, paused, revision, restartRequests, Optional.empty());
    }

    /** A row in no group and without a restart-request counter (it reads as 0). */
    public RowState(V value, boolean paused, OptionalLong revision) {
        this(value, paused, revision, 0);
    }

    /** A row that is not paused, reports no revision and is in no group: what {@link Table#row}'s default starts from. */
    public static <V> RowState<V> of(V value) {
        return new RowState<>(value, false, OptionalLong.empty());
    }

    /** This row with {@code group} as its group. */
    public RowState<V> withGroup(Optional<GroupMembership> group) {
        return new RowState<>(value, paused, revision, restartRequests, group);
    }
}
