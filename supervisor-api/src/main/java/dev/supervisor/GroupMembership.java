package dev.supervisor;

import java.util.Objects;

/**
 * A row's place in a group (see {@link Cursor#group()} and {@link Table#group}): the group's name
 * and the row's position in it. The group's order is ascending {@code position}, ties broken by
 * the key's {@code toString()}; it decides which members {@link GroupStrategy#REST_FOR_ONE}
 * restarts, and the order of every group stop (reverse) and start (forward).
 *
 * @param group the group's name, not blank
 * @param position the row's place in the group's order
 */
public record GroupMembership(String group, long position) {

    /** Checks that group is present and not blank. */
    public GroupMembership {
        Objects.requireNonNull(group, "group");
        if (group.isBlank()) {
            throw new IllegalArgumentException("group must not be blank");
        }
    }
}
