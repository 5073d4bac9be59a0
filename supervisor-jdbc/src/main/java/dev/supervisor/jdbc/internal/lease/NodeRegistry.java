package dev.supervisor.jdbc.internal.lease;

import dev.supervisor.jdbc.Identifier;
import dev.supervisor.jdbc.internal.dialect.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The liveness table ({@code supervisor_nodes}): one row per node incarnation, live while its
 * {@code expires_at} (database clock) is in the future. It is the only row a renewal writes: a
 * node's leases are valid while this row is live, whatever their number.
 *
 * <p><b>Death is final.</b> A heartbeat extends the row only while it is still live, and the
 * claimers delete expired rows (locking them, so a heartbeat and a deletion are serialised)
 * before they take over the dead incarnation's keys. So an incarnation whose row expired can
 * never renew again and resume its processes next to their new owners: its heartbeat finds no
 * row, and the node starts a new incarnation ({@link NodeIdentity#next()}).
 *
 * <p><b>Active.</b> A node counts in the fair share while its {@code active_until} (last
 * heartbeat plus two renew intervals) is in the future, and only from its second heartbeat on: a
 * killed incarnation stops counting within two renew intervals, not a ttl, and one killed
 * within its first renew interval never counts, so dead incarnations never cap the survivors'
 * shares while their keys wait to be taken over. The claimers look again right when a node that
 * stopped beating stops counting ({@link #untilNextExpiry}).
 */
public final class NodeRegistry {

    /** What a heartbeat found. */
    public enum Beat {
        /** The incarnation's row was created. */
        REGISTERED,
        /** The row was live and is extended. */
        ALIVE,
        /** The row had expired or was deleted: this incarnation is dead for good. */
        DEAD
    }

    private final NodeIdentity identity;
    private final String tableName;
    private final int capacity;
    private final String heartbeat;
    private final String register;
    private final String live;
    private final String nextExpiry;
    private final String sameName;
    private final String remove;
    private final String removeDead;
    private volatile String registered; // the incarnation whose row this registry created

    /**
     * @param identity the node's name and current incarnation
     * @param table the desired-state table whose keys the nodes share
     * @param ttl how long a heartbeat keeps the node live
     * @param renewInterval how often the node beats
     */
    public NodeRegistry(SqlDialect dialect, NodeIdentity identity, Identifier table, int capacity, Duration ttl,
                        Duration renewInterval) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.tableName = table.toString();
        this.capacity = capacity;
        Identifier nodes = LeaseSchema.NODES;
        String now = dialect.now();
        String expiry = dialect.databaseTimePlus(ttl);
        String active = dialect.databaseTimePlus(renewInterval.multipliedBy(2));
        this.heartbeat = "UPDATE " + nodes + " SET heartbeat_at = " + now + ", expires_at = " + expiry
                + ", active_until = " + active + " WHERE node = ? AND expires_at > " + now;
        this.register = "INSERT INTO " + nodes + " (node, name, table_name, capacity, started_at, heartbeat_at, expires_at,"
                + " active_until) VALUES (?, ?, ?, ?, " + now + ", " + now + ", " + expiry + ", " + now + ")";
        this.live = "SELECT node, capacity FROM " + nodes + " WHERE table_name = ? AND expires_at > " + now
                + " AND COALESCE(active_until, expires_at) > " + now;
        this.nextExpiry = "SELECT MIN(CASE WHEN active_until > " + now + " AND active_until < "
                + dialect.databaseTimePlus(renewInterval) + " THEN active_until ELSE expires_at END), " + now + " FROM "
                + nodes + " WHERE table_name = ? AND node <> ? AND expires_at > " + now;
        this.sameName = "SELECT COUNT(*) FROM " + nodes + " WHERE name = ? AND node <> ? AND expires_at > " + now;
        this.remove = "DELETE FROM " + nodes + " WHERE node = ?";
        String expired = "SELECT node FROM " + nodes + " WHERE table_name = ? AND expires_at <= " + now;
        this.removeDead = "DELETE FROM " + nodes + " WHERE node IN (" + dialect.sameTable(expired + dialect.skipLocked()) + ")";
    }

    /**
     * One heartbeat of the current incarnation, in auto-commit on connection: extends its row if
     * it is still live; registers it if this registry never saw it registered (an insert whose
     * answer was lost is found by the update first; such an incarnation was never confirmed, so
     * it holds no lease). Never waits for a lock another node holds for long: only heartbeats
     * and deletions lock node rows, each a single statement. A write whose commit was not
     * acknowledged (a cancelled wait for synchronous replication) throws
     * {@link UnacknowledgedCommitException}: it confirms nothing.
     */
    public Beat beat(Connection connection, int timeoutSeconds) throws SQLException {
        String node = identity.id();
        try (PreparedStatement statement = connection.prepareStatement(heartbeat)) {
            statement.setQueryTimeout(timeoutSeconds);
            statement.setString(1, node);
            if (statement.executeUpdate() == 1) {
                Acknowledgements.check(statement, "a heartbeat");
                registered = node;
                return Beat.ALIVE;
            }
        }
        if (node.equals(registered)) {
            return Beat.DEAD;
        }
        try (PreparedStatement statement = connection.prepareStatement(register)) {
            statement.setQueryTimeout(timeoutSeconds);
            statement.setString(1, node);
            statement.setString(2, identity.name());
            statement.setString(3, tableName);
            statement.setInt(4, capacity);
            statement.executeUpdate();
            Acknowledgements.check(statement, "a node's registration");
        }
        registered = node;
        return Beat.REGISTERED;
    }

    /** The capacities of the active nodes sharing the table (node id to capacity), this one's always included. */
    public Map<String, Integer> liveCapacities(Handle handle) {
        Map<String, Integer> capacities = new LinkedHashMap<>();
        handle.createQuery(live).bind(0, tableName)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2)))
                .forEach(entry -> capacities.put(entry.getKey(), entry.getValue()));
        capacities.putIfAbsent(identity.id(), capacity); // counted even while its own heartbeat is late
        return capacities;
    }

    /**
     * How long until the next row of another node expires, or stops counting as active if it
     * stopped beating (its {@code active_until} is less than a renew interval away), on the
     * database's clock; empty if none.
     */
    public Optional<Duration> untilNextExpiry(Handle handle) {
        return handle.createQuery(nextExpiry).bind(0, tableName).bind(1, identity.id())
                .map((rs, ctx) -> {
                    OffsetDateTime next = rs.getObject(1, OffsetDateTime.class);
                    OffsetDateTime now = rs.getObject(2, OffsetDateTime.class);
                    return next == null ? Optional.<Duration>empty() : Optional.of(Duration.between(now, next));
                })
                .one();
    }

    /** How many other live nodes use this node's name (names should be unique, for people reading the tables). */
    public long othersNamedAlike(Handle handle) {
        return handle.createQuery(sameName).bind(0, identity.name()).bind(1, identity.id()).mapTo(Long.class).one();
    }

    /** Deletes this incarnation's row: the others stop counting it, and may take its remaining leases, at once. */
    public void remove(Handle handle) {
        handle.execute(remove, identity.id());
    }

    /**
     * Deletes the rows of expired incarnations of this table (skipping rows another transaction
     * holds): from then on their leases may be claimed, and they can never renew again.
     */
    public int removeDead(Handle handle) {
        return handle.execute(removeDead, tableName);
    }

    /** This node's capacity. */
    public int capacity() {
        return capacity;
    }
}
