package dev.supervisor.jdbc.internal;

import dev.supervisor.jdbc.Identifier;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL of one node's leases on one desired-state table ({@code supervisor_leases}). Every
 * expiry is computed by the database ({@code CURRENT_TIMESTAMP + ttl}); every change is guarded
 * by the owner, the epoch or the expiry, and callers branch on the rows it touched. Statements
 * run on the caller's handle (its transaction), except claims, which choose their own.
 * Thread-safe.
 */
public final class LeaseTable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseTable.class);

    private final String owner;
    private final String tableName;
    private final SqlDialect dialect;
    private final String renew;
    private final String owned;
    private final String count;
    private final String claimable;
    private final Optional<String> claimBatch;
    private final String nextEpoch;
    private final String claimExpired;
    private final String claimAbsent;
    private final String orphans;
    private final String release;
    private final String releaseAll;
    private final String nextExpiry;
    private final String deleteExpiredWithoutRows;

    /**
     * @param desired the desired-state table, whose rows are the keys to lease
     * @param keyColumn its key column
     * @param owner this node's id, unique per incarnation
     * @param ttl how long a claim or renewal holds a lease, on the database's clock
     */
    public LeaseTable(SqlDialect dialect, Identifier desired, Identifier keyColumn, String owner, Duration ttl) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.tableName = desired.toString();
        Identifier leases = LeaseSchema.LEASES;
        String expiry = dialect.databaseTimePlus(ttl);
        String rowExists = "EXISTS (SELECT 1 FROM " + desired + " p WHERE p." + keyColumn + " = ?)";
        this.renew = "UPDATE " + leases + " SET expires_at = " + expiry + " WHERE owner = ?";
        this.owned = "SELECT name, epoch FROM " + leases + " WHERE owner = ?";
        this.count = "SELECT COUNT(*) FROM " + desired;
        this.claimable = "SELECT p." + keyColumn + " FROM " + desired + " p WHERE NOT EXISTS (SELECT 1 FROM " + leases
                + " l WHERE l.name = p." + keyColumn + " AND l.table_name = ? AND l.expires_at > CURRENT_TIMESTAMP)"
                + " ORDER BY " + dialect.randomOrder() + " LIMIT ?";
        this.claimBatch = dialect.claimBatch(desired, keyColumn, ttl);
        this.nextEpoch = "SELECT " + dialect.nextValue(LeaseSchema.EPOCHS);
        this.claimExpired = "UPDATE " + leases + " SET owner = ?, epoch = ?, acquired_at = CURRENT_TIMESTAMP, expires_at = "
                + expiry + " WHERE name = ? AND table_name = ? AND expires_at <= CURRENT_TIMESTAMP AND " + rowExists;
        this.claimAbsent = "INSERT INTO " + leases + " (name, table_name, owner, epoch, acquired_at, expires_at)"
                + " SELECT p." + keyColumn + ", ?, ?, ?, CURRENT_TIMESTAMP, " + expiry + " FROM " + desired + " p"
                + " WHERE p." + keyColumn + " = ? AND NOT EXISTS (SELECT 1 FROM " + leases
                + " l WHERE l.name = ? AND l.table_name = ?)";
        this.orphans = "SELECT l.name FROM " + leases + " l WHERE l.owner = ? AND NOT EXISTS (SELECT 1 FROM " + desired
                + " p WHERE p." + keyColumn + " = l.name)";
        this.release = "DELETE FROM " + leases + " WHERE name = ? AND table_name = ? AND owner = ? AND epoch = ?";
        this.releaseAll = "DELETE FROM " + leases + " WHERE owner = ?";
        this.nextExpiry = "SELECT MIN(expires_at), CURRENT_TIMESTAMP FROM " + leases
                + " WHERE table_name = ? AND owner <> ? AND expires_at > CURRENT_TIMESTAMP";
        this.deleteExpiredWithoutRows = "DELETE FROM " + leases + " l WHERE l.table_name = ? AND l.expires_at <= CURRENT_TIMESTAMP"
                + " AND NOT EXISTS (SELECT 1 FROM " + desired + " p WHERE p." + keyColumn + " = l.name)";
    }

    /** This node's id, the {@code owner} of its leases. */
    public String owner() {
        return owner;
    }

    /**
     * Extends every lease this node owns by ttl, in one statement, and returns them all (key to
     * epoch): run both in one transaction, so that the answer is exactly the renewed set.
     */
    public Map<String, Long> renew(Handle handle) {
        handle.execute(renew, owner);
        Map<String, Long> leases = new LinkedHashMap<>();
        handle.createQuery(owned).bind(0, owner)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .forEach(entry -> leases.put(entry.getKey(), entry.getValue()));
        return leases;
    }

    /** The number of desired rows. */
    public long rows(Handle handle) {
        return handle.createQuery(count).mapTo(Long.class).one();
    }

    /** Up to limit keys with a row and no live lease, in random order (so that nodes claiming at once rarely collide). */
    public List<String> claimable(Handle handle, int limit) {
        return handle.createQuery(claimable).bind(0, tableName).bind(1, limit).mapTo(String.class).list();
    }

    /**
     * Claims those of keys that still have a row and no live lease, each with a new epoch, and
     * returns what it won (key to epoch); keys another node won are simply missing. A failure
     * part-way returns what was won before it (those leases are real); a failure before
     * anything was won throws.
     *
     * @throws JdbiException or SQLException if the database fails before any key was claimed
     */
    public Map<String, Long> claim(Jdbi jdbi, List<String> keys) throws SQLException {
        List<String> sorted = keys.stream().distinct().sorted().toList();
        if (sorted.isEmpty()) {
            return Map.of();
        }
        if (claimBatch.isPresent()) {
            return jdbi.withHandle(handle -> claimInOneStatement(handle.getConnection(), sorted));
        }
        Map<String, Long> won = new LinkedHashMap<>();
        for (String key : sorted) {
            try {
                Long epoch = jdbi.inTransaction(handle -> claimOne(handle, key));
                if (epoch != null) {
                    won.put(key, epoch);
                }
            } catch (JdbiException e) {
                if (isUniqueViolation(e)) {
                    continue; // another node inserted its lease first
                }
                if (won.isEmpty()) {
                    throw e;
                }
                LOG.warn("[{}] Claiming failed after {} key(s) were won; keeping those: {}", owner, won.size(), e.getMessage());
                break;
            }
        }
        return won;
    }

    private Map<String, Long> claimInOneStatement(Connection connection, List<String> keys) throws SQLException {
        Map<String, Long> won = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(claimBatch.orElseThrow())) {
            Array array = connection.createArrayOf("varchar", keys.toArray());
            statement.setString(1, tableName);
            statement.setString(2, owner);
            statement.setArray(3, array);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    won.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return won;
    }

    /** Claims one key: takes it over if its lease expired, or creates its lease if it has none. Null if not won. */
    private Long claimOne(Handle handle, String key) {
        long epoch = handle.createQuery(nextEpoch).mapTo(Long.class).one();
        if (handle.execute(claimExpired, owner, epoch, key, tableName, key) == 1) {
            return epoch;
        }
        return handle.execute(claimAbsent, tableName, owner, epoch, key, key, tableName) == 1 ? epoch : null;
    }

    /** This node's leases whose rows are gone. */
    public List<String> orphans(Handle handle) {
        return handle.createQuery(orphans).bind(0, owner).mapTo(String.class).list();
    }

    /** Deletes key's lease if it is still this node's with this epoch; true if it was. */
    public boolean release(Handle handle, String key, long epoch) {
        return handle.execute(release, key, tableName, owner, epoch) == 1;
    }

    /** Deletes every lease of this node and returns their keys. */
    public List<String> releaseAll(Handle handle) {
        List<String> keys = handle.createQuery(owned).bind(0, owner).map((rs, ctx) -> rs.getString(1)).list();
        handle.execute(releaseAll, owner);
        return keys;
    }

    /**
     * Tells the change listeners of every node that keys changed, so that they look for work at
     * once (PostgreSQL: a notification per key, delivered at commit); nothing on H2.
     */
    public void announce(Handle handle, Collection<String> keys) throws SQLException {
        Optional<String> announce = dialect.announceKeys();
        if (announce.isEmpty() || keys.isEmpty()) {
            return;
        }
        Connection connection = handle.getConnection();
        try (PreparedStatement statement = connection.prepareStatement(announce.get())) {
            statement.setString(1, tableName);
            statement.setArray(2, connection.createArrayOf("varchar", keys.toArray()));
            statement.executeQuery().close();
        }
    }

    /** How long until the next live lease of another node expires, on the database's clock; empty if none. */
    public Optional<Duration> untilNextExpiry(Handle handle) {
        return handle.createQuery(nextExpiry).bind(0, tableName).bind(1, owner)
                .map((rs, ctx) -> {
                    OffsetDateTime next = rs.getObject(1, OffsetDateTime.class);
                    OffsetDateTime now = rs.getObject(2, OffsetDateTime.class);
                    return next == null ? Optional.<Duration>empty() : Optional.of(Duration.between(now, next));
                })
                .one();
    }

    /** Deletes expired leases of keys without rows (left by nodes that died). */
    public int deleteExpiredWithoutRows(Handle handle) {
        return handle.execute(deleteExpiredWithoutRows, tableName);
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
