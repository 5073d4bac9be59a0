package dev.supervisor.jdbc.internal.table;

import dev.supervisor.jdbc.Identifier;

/**
 * Where a desired-state table keeps its groups: the row's group and position columns, and the
 * table of group policies ({@code name, strategy, max_restarts, period_ms}). Each may be null: no
 * group columns (rows are in no group), no groups table (policies come from the supervisor's builder).
 */
public record GroupColumns(Identifier group, Identifier position, Identifier policies) {

    /** No groups at all. */
    public static final GroupColumns NONE = new GroupColumns(null, null, null);

    /** Checks that the group and position columns come together. */
    public GroupColumns {
        if ((group == null) != (position == null)) {
            throw new IllegalArgumentException("a group column needs a position column and vice versa");
        }
    }
}
