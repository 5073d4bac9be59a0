package dev.supervisor;

import java.util.List;
import java.util.Objects;

/**
 * An immutable snapshot of one group (see {@link Supervisor#group}).
 *
 * @param name the group's name
 * @param policy its policy as last read (from the builder, else the table, else
 *     {@link GroupPolicy#UNLIMITED_ONE_FOR_ONE})
 * @param members the keys this supervisor knows in the group, in group order
 * @param givenUp true once the restart intensity was exceeded, until {@link Supervisor#reset} of a member
 * @param recentRestarts the restarts counted within the policy's period, as of the latest one
 * @param <K> the key type
 */
public record GroupStatus<K>(String name, GroupPolicy policy, List<K> members, boolean givenUp, int recentRestarts) {

    /** Checks presence; copies members. */
    public GroupStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(policy, "policy");
        members = List.copyOf(members);
    }
}
