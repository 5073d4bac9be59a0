package dev.supervisor.jdbc.internal;

import dev.supervisor.jdbc.Identifier;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;

/**
 * The heartbeat table ({@code supervisor_nodes}): one row per running node, live while its
 * {@code expires_at} (database clock) is in the future. Statements run on the caller's handle,
 * so a heartbeat shares the transaction of the lease renewal and both expire together.
 */
public final class NodeRegistry {

    private final String node;
    private final String name;
    private final String tableName;
    private final int capacity;
    private final String heartbeat;
    private final String register;
    private final String live;
    private final String sameName;
    private final String remove;
    private final String removeDead;

    /**
     * @param node this node's id, unique per incarnation
     * @param name its configured name
     * @param table the desired-state table whose keys the nodes share
     * @param ttl how long a heartbeat keeps the node live
     */
    public NodeRegistry(SqlDialect dialect, String node, String name, Identifier table, int capacity, Duration ttl) {
        this.node = Objects.requireNonNull(node, "node");
        this.name = Objects.requireNonNull(name, "name");
        this.tableName = table.toString();
        this.capacity = capacity;
        Identifier nodes = LeaseSchema.NODES;
        String expiry = dialect.databaseTimePlus(ttl);
        this.heartbeat = "UPDATE " + nodes + " SET heartbeat_at = CURRENT_TIMESTAMP, expires_at = " + expiry
                + " WHERE node = ?";
        this.register = "INSERT INTO " + nodes + " (node, name, table_name, capacity, started_at, heartbeat_at, expires_at)"
                + " VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, " + expiry + ")";
        this.live = "SELECT node, capacity FROM " + nodes + " WHERE table_name = ? AND expires_at > CURRENT_TIMESTAMP";
        this.sameName = "SELECT COUNT(*) FROM " + nodes + " WHERE name = ? AND node <> ? AND expires_at > CURRENT_TIMESTAMP";
        this.remove = "DELETE FROM " + nodes + " WHERE node = ?";
        this.removeDead = "DELETE FROM " + nodes + " WHERE expires_at < " + dialect.databaseTimePlus(ttl.negated());
    }

    /** Marks this node live for another ttl (registering it if its row is missing). */
    public void heartbeat(Handle handle) {
        if (handle.execute(heartbeat, node) == 0) {
            handle.execute(register, node, name, tableName, capacity);
        }
    }

    /** The capacities of the live nodes sharing the table (node id to capacity), this one's always included. */
    public Map<String, Integer> liveCapacities(Handle handle) {
        Map<String, Integer> capacities = new LinkedHashMap<>();
        handle.createQuery(live).bind(0, tableName)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2)))
                .forEach(entry -> capacities.put(entry.getKey(), entry.getValue()));
        capacities.putIfAbsent(node, capacity); // counted even while its own heartbeat is late
        return capacities;
    }

    /** How many other live nodes use this node's name (names should be unique, for people reading the tables). */
    public long othersNamedAlike(Handle handle) {
        return handle.createQuery(sameName).bind(0, name).bind(1, node).mapTo(Long.class).one();
    }

    /** Deletes this node's row: the others stop counting it at once. */
    public void remove(Handle handle) {
        handle.execute(remove, node);
    }

    /** Deletes rows of nodes dead for more than a ttl. */
    public int removeDead(Handle handle) {
        return handle.execute(removeDead);
    }

    /** This node's id. */
    public String node() {
        return node;
    }

    /** This node's capacity. */
    public int capacity() {
        return capacity;
    }
}
