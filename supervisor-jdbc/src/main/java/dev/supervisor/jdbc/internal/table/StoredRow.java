package dev.supervisor.jdbc.internal.table;

import dev.supervisor.GroupMembership;
import java.util.Optional;

/**
 * A desired-state row as read, before its key and payload are decoded; {@code paused} is false for
 * tables without a paused column, {@code revision} 0 for tables without a revision column,
 * {@code restartRequests} 0 for tables without a restart-request column; {@code group} null for rows in no
 * group (or tables without group columns).
 */
public record StoredRow(String key, String payload, long revision, boolean paused, long restartRequests, String group,
                        long position) {

    /** A row in no group. */
    public StoredRow(String key, String payload, long revision, boolean paused, long restartRequests) {
        this(key, payload, revision, paused, restartRequests, null, 0);
    }

    /** The row's group, if it names one (an empty or blank name is none). */
    public Optional<GroupMembership> membership() {
        return group == null || group.isBlank() ? Optional.empty() : Optional.of(new GroupMembership(group, position));
    }
}
