package dev.supervisor.jdbc.internal.lease;

import dev.supervisor.jdbc.Identifier;

/** The names of cluster mode's tables, created by migrations V2 and V8 in the connection's schema. */
public final class LeaseSchema {

    /** One row per claimed key: (name, table_name, owner, epoch, acquired_at, expires_at). */
    public static final Identifier LEASES = Identifier.of("supervisor_leases");
    /** One row per claimed group: (group_name, table_name, owner, epoch, acquired_at, expires_at); V8. */
    public static final Identifier GROUP_LEASES = Identifier.of("supervisor_group_leases");
    /** One row per running node: (node, name, table_name, capacity, started_at, heartbeat_at, expires_at). */
    public static final Identifier NODES = Identifier.of("supervisor_nodes");
    /** Where epochs come from: one sequence for all keys, so a key's epoch never goes back. */
    public static final Identifier EPOCHS = Identifier.of("supervisor_lease_epoch_seq");

    private LeaseSchema() {
    }
}
