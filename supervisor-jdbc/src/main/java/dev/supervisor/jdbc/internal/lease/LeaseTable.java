package dev.supervisor.jdbc.internal.lease;

import dev.supervisor.jdbc.Identifier;
import dev.supervisor.jdbc.internal.dialect.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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
 * The SQL of the leases on one desired-state table ({@code supervisor_leases}). A lease is valid
 * while its owner incarnation's row in {@code supervisor_nodes} exists and is live (see
 * {@link NodeRegistry}); lease rows change only on claim, hand-over and release, never on
 * renewal. Every change is guarded by the owner or the epoch, and callers branch on the rows it
 * touched. Statements run on the caller's handle (its transaction), except claims, which choose
 * their own; every statement has a timeout. Thread-safe.
 */
public final class LeaseTable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseTable.class);

    /** From this many rows on, claims read the rows without a lease from a sampled key on. */
    static final long SAMPLED_FROM = 10_000;
    /** About how many rows the pages sampled for that key hold. */
    private static final int SAMPLE_ROWS = 1_000;

    private final String tableName;
    private final SqlDialect dialect;
    private final int timeoutSeconds;
    private final Duration ttl;
    private final String owned;
    private final String count;
    private final String takeovers;
    private final Optional<String> deadOwners;
    private final String takeoversOf;
    private final String absent;
    private final Optional<String> sampleKey;
    private final String absentFrom;
    private final String absentBefore;
    private final Optional<String> claimBatch;
    private final String nextEpoch;
    private final String lockTakeover;
    private final String takeOver;
    private final String claimAbsent;
    private final String orphans;
    private final String release;
    private final String releaseAll;
    private final String deleteDeadWithoutRows;

    /** A key that may be claimed: it has no lease ({@code epoch} null) or its lease's owner is dead. */
    public record Candidate(String key, Long epoch) {
    }

    /**
     * @param desired the desired-state table, whose rows are the keys to lease
     * @param key its key column, of any type a key codec binds
     * @param group its group column, or null: the rows in a group are claimed by {@link GroupLeaseTable}, not here
     * @param ttl written into a claimed lease's {@code expires_at} (for people; validity is the owner's)
     * @param timeoutSeconds the longest any statement runs
     */
    public LeaseTable(SqlDialect dialect, Identifier desired, LeaseKeyColumn key, Identifier group, Duration ttl,
                      int timeoutSeconds) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.tableName = desired.toString();
        this.timeoutSeconds = timeoutSeconds;
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        Identifier leases = LeaseSchema.LEASES;
        Identifier nodes = LeaseSchema.NODES;
        String expiry = dialect.databaseTimePlus(ttl);
        String ownerGone = "NOT EXISTS (SELECT 1 FROM " + nodes + " n WHERE n.node = l.owner)";
        this.owned = "SELECT name, epoch FROM " + leases + " WHERE owner = ? AND table_name = ?";
        this.count = "SELECT COUNT(*) FROM " + desired;
        String ungroupedLease = group == null ? "" : " AND NOT EXISTS (SELECT 1 FROM " + desired + " p WHERE "
                + key.matches(dialect, "p", "l.name") + " AND p." + group + " > '')";
        String ungroupedRow = group == null ? "" : " AND (p." + group + " IS NULL OR p." + group + " = '')";
        this.takeovers = "SELECT l.name, l.epoch FROM " + leases + " l WHERE l.table_name = ? AND " + ownerGone + ungroupedLease
                + " ORDER BY " + dialect.randomOrder() + " LIMIT ?";
        this.deadOwners = dialect.deadOwners();
        this.takeoversOf = "SELECT l.name, l.epoch FROM " + leases + " l WHERE l.owner IN (<owners>) AND l.table_name = :table"
                + ungroupedLease + " ORDER BY " + dialect.randomOrder() + " LIMIT :limit";
        this.absent = "SELECT " + key.asName(dialect, "p") + " FROM " + desired + " p WHERE NOT EXISTS (SELECT 1 FROM " + leases
                + " l WHERE l.name = " + key.asName(dialect, "p") + " AND l.table_name = ?)" + ungroupedRow + " ORDER BY "
                + dialect.randomOrder() + " LIMIT ?";
        String unleased = " p WHERE NOT EXISTS (SELECT 1 FROM " + leases + " l WHERE l.name = " + key.asName(dialect, "p")
                + " AND l.table_name = ?)" + ungroupedRow + " AND p." + key.column();
        this.sampleKey = dialect.sampleKey(desired, key.column());
        this.absentFrom = "SELECT " + key.asName(dialect, "p") + " FROM " + desired + unleased + " >= ? ORDER BY p." + key.column()
                + " LIMIT ?";
        this.absentBefore = "SELECT " + key.asName(dialect, "p") + " FROM " + desired + unleased + " < ? ORDER BY p." + key.column()
                + " LIMIT ?";
        this.claimBatch = dialect.claimBatch(desired, key, ttl);
        this.nextEpoch = "SELECT " + dialect.nextValue(LeaseSchema.EPOCHS);
        this.lockTakeover = dialect.skipLocked().isEmpty() ? null : "SELECT name FROM " + leases
                + " WHERE name = ? AND table_name = ? AND epoch = ?" + dialect.skipLocked();
        this.takeOver = "UPDATE " + leases + " SET owner = ?, epoch = ?, acquired_at = " + dialect.now() + ", expires_at = "
                + expiry + " WHERE name = ? AND table_name = ? AND epoch = ?";
        this.claimAbsent = dialect.insertUnlessPresent() + " " + leases + " (name, table_name, owner, epoch, acquired_at, expires_at)"
                + " SELECT " + key.asName(dialect, "p") + ", ?, ?, ?, " + dialect.now() + ", " + expiry + " FROM " + desired + " p"
                + " WHERE " + key.matches(dialect, "p", "?") + ungroupedRow + " AND NOT EXISTS (SELECT 1 FROM " + leases
                + " l WHERE l.name = ? AND l.table_name = ?)";
        this.orphans = "SELECT l.name FROM " + leases + " l WHERE l.owner = ? AND l.table_name = ? AND NOT EXISTS (SELECT 1 FROM "
                + desired + " p WHERE " + key.matches(dialect, "p", "l.name") + ")";
        this.release = "DELETE FROM " + leases + " WHERE name = ? AND table_name = ? AND owner = ? AND epoch = ?";
        this.releaseAll = "DELETE FROM " + leases + " WHERE owner = ?";
        this.deleteDeadWithoutRows = "DELETE FROM " + leases + " WHERE (name, table_name) IN (" + dialect.sameTable(
                "SELECT l.name, l.table_name FROM " + leases + " l WHERE l.table_name = ? AND " + ownerGone
                        + " AND NOT EXISTS (SELECT 1 FROM " + desired + " p WHERE " + key.matches(dialect, "p", "l.name") + ")"
                        + dialect.skipLocked()) + ")";
    }

    /**
     * Bounds the handle's current transaction: how long it waits for a lock, and (PostgreSQL,
     * MariaDB, MySQL) how long its locks outlive a client that stopped talking. Call first in
     * every lease transaction of more than one statement. Where the bounds are session settings,
     * they are set back when the handle closes, after the transaction.
     */
    public void limit(Handle handle) {
        for (String statement : dialect.transactionLimits(Duration.ofSeconds(timeoutSeconds), ttl)) {
            handle.execute(statement);
        }
        List<String> reset = dialect.transactionLimitsReset();
        if (!reset.isEmpty()) {
            handle.addCleanable(() -> resetLimits(handle, reset));
        }
    }

    private static void resetLimits(Handle handle, List<String> reset) {
        try (java.sql.Statement statement = handle.getConnection().createStatement()) {
            for (String sql : reset) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            LOG.debug("Could not reset a lease transaction's limits; the connection keeps them: {}", e.getMessage());
        }
    }

    /** Every lease owner holds on this table (key to epoch). */
    public Map<String, Long> owned(Handle handle, String owner) {
        Map<String, Long> leases = new LinkedHashMap<>();
        handle.createQuery(owned).bind(0, owner).bind(1, tableName)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .forEach(entry -> leases.put(entry.getKey(), entry.getValue()));
        return leases;
    }

    /** The number of desired rows. */
    public long rows(Handle handle) {
        return handle.createQuery(count).mapTo(Long.class).one();
    }

    /**
     * Up to limit keys without a valid lease: first leases whose owner incarnation is dead (and
     * deleted), in random order, then rows without a lease. Two queries, so that taking over a dead
     * node's keys reads its leases, not every row. Nodes claiming at once rarely collide: on a
     * table of at least {@link #SAMPLED_FROM} rows where the database can sample pages
     * (PostgreSQL), the rows without a lease are read in key order from a key picked at random
     * (wrapping around), which costs what it returns, not the table's size; otherwise they are
     * all ordered randomly.
     *
     * @param rows the desired table's row count, as last counted
     */
    public List<Candidate> claimable(Handle handle, int limit, long rows) {
        List<Candidate> candidates = new ArrayList<>(takeovers(handle, limit));
        if (candidates.size() < limit) {
            absent(handle, limit - candidates.size(), rows).forEach(key -> candidates.add(new Candidate(key, null)));
        }
        return candidates;
    }

    /** Up to limit leases of dead owners, in random order. */
    private List<Candidate> takeovers(Handle handle, int limit) {
        if (deadOwners.isEmpty()) {
            return handle.createQuery(takeovers).bind(0, tableName).bind(1, limit)
                    .map((rs, ctx) -> new Candidate(rs.getString(1), rs.getLong(2))).list();
        }
        List<String> dead = handle.createQuery(deadOwners.get()).mapTo(String.class).list();
        if (dead.isEmpty()) {
            return List.of();
        }
        return handle.createQuery(takeoversOf).bindList("owners", dead).bind("table", tableName).bind("limit", limit)
                .map((rs, ctx) -> new Candidate(rs.getString(1), rs.getLong(2))).list();
    }

    /** Up to limit rows without a lease: from a sampled key on (wrapping around), else in random order. */
    private List<String> absent(Handle handle, int limit, long rows) {
        Optional<Object> pivot = rows < SAMPLED_FROM ? Optional.empty() : sampleKey.flatMap(sql -> handle.createQuery(sql)
                .bind(0, Math.min(100.0, 100.0 * SAMPLE_ROWS / rows)).map((rs, ctx) -> rs.getObject(1)).findFirst());
        if (pivot.isEmpty()) {
            return handle.createQuery(absent).bind(0, tableName).bind(1, limit).mapTo(String.class).list();
        }
        List<String> keys = new ArrayList<>(handle.createQuery(absentFrom).bind(0, tableName).bind(1, pivot.get())
                .bind(2, limit).mapTo(String.class).list());
        if (keys.size() < limit) {
            keys.addAll(handle.createQuery(absentBefore).bind(0, tableName).bind(1, pivot.get())
                    .bind(2, limit - keys.size()).mapTo(String.class).list());
        }
        return keys;
    }

    /**
     * Claims for owner those candidates that still have no valid lease, each with a new epoch,
     * and returns what it won (key to epoch); keys another node won, or whose lease a
     * transaction holds, are simply missing. A failure part-way returns what was won before it
     * (those leases are real); a failure before anything was won throws, and so does a claim
     * whose commit was not acknowledged ({@link Acknowledgements}): what it won may be gone after
     * a failover, so it counts as not done (a later round finds those leases in the database).
     *
     * @throws JdbiException or SQLException if the database fails before any key was claimed
     */
    public Map<String, Long> claim(Jdbi jdbi, String owner, List<Candidate> candidates) throws SQLException {
        List<Candidate> sorted = candidates.stream().sorted(Comparator.comparing(Candidate::key)).toList();
        if (sorted.isEmpty()) {
            return Map.of();
        }
        if (claimBatch.isPresent()) {
            return jdbi.withHandle(handle -> claimInOneStatement(handle.getConnection(), owner, sorted));
        }
        Map<String, Long> won = new LinkedHashMap<>();
        RuntimeException first = null;
        for (Candidate candidate : sorted) {
            try {
                Long epoch = jdbi.inTransaction(handle -> claimOne(handle, owner, candidate));
                if (epoch != null) {
                    won.put(candidate.key(), epoch);
                }
            } catch (JdbiException e) {
                if (!isUniqueViolation(dialect, e)) { // a lock it could not get, or a failure: skip this key
                    LOG.debug("[{}] Could not claim {}: {}", owner, candidate.key(), e.getMessage());
                    first = first == null ? e : first;
                }
            }
        }
        if (won.isEmpty() && first != null) {
            throw first;
        }
        return won;
    }

    private Map<String, Long> claimInOneStatement(Connection connection, String owner, List<Candidate> candidates)
            throws SQLException {
        List<Candidate> dead = candidates.stream().filter(c -> c.epoch() != null).toList();
        List<String> absent = candidates.stream().filter(c -> c.epoch() == null).map(Candidate::key).toList();
        Map<String, Long> won = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(claimBatch.orElseThrow())) {
            statement.setQueryTimeout(timeoutSeconds);
            statement.setArray(1, connection.createArrayOf("varchar", dead.stream().map(Candidate::key).toArray()));
            statement.setArray(2, connection.createArrayOf("bigint", dead.stream().map(Candidate::epoch).toArray()));
            statement.setString(3, tableName);
            statement.setString(4, owner);
            statement.setString(5, tableName);
            statement.setString(6, tableName);
            statement.setString(7, owner);
            statement.setArray(8, connection.createArrayOf("varchar", absent.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    won.put(rs.getString(1), rs.getLong(2));
                }
            }
            Acknowledgements.check(statement, "a claim of " + won.size() + " key(s)");
        }
        return won;
    }

    /** Claims one key: takes it over from its dead owner if its epoch is unchanged, or creates its lease. Null if not won. */
    private Long claimOne(Handle handle, String owner, Candidate candidate) {
        limit(handle);
        long epoch = handle.createQuery(nextEpoch).mapTo(Long.class).one();
        String key = candidate.key();
        if (candidate.epoch() != null) {
            if (lockTakeover != null && handle.createQuery(lockTakeover).bind(0, key).bind(1, tableName)
                    .bind(2, candidate.epoch()).mapTo(String.class).findFirst().isEmpty()) {
                return null; // gone, taken, or held by a transaction (a fence of a frozen node): never wait for it
            }
            return handle.execute(takeOver, owner, epoch, key, tableName, candidate.epoch()) == 1 ? epoch : null;
        }
        return handle.execute(claimAbsent, tableName, owner, epoch, key, key, tableName) == 1 ? epoch : null;
    }

    /** This node's leases whose rows are gone. */
    public List<String> orphans(Handle handle, String owner) {
        return handle.createQuery(orphans).bind(0, owner).bind(1, tableName).mapTo(String.class).list();
    }

    /** Deletes key's lease if it is still owner's with this epoch; true if it was. */
    public boolean release(Handle handle, String owner, String key, long epoch) {
        return handle.execute(release, key, tableName, owner, epoch) == 1;
    }

    /** Deletes every lease of owner and returns their keys. */
    public List<String> releaseAll(Handle handle, String owner) {
        List<String> keys = List.copyOf(owned(handle, owner).keySet());
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

    /** Deletes the leases of dead incarnations whose rows are gone (skipping leases a transaction holds). */
    public int deleteDeadWithoutRows(Handle handle) {
        return handle.execute(deleteDeadWithoutRows, tableName);
    }

    private static boolean isUniqueViolation(SqlDialect dialect, Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && dialect.uniqueViolation(sql)) {
                return true;
            }
        }
        return false;
    }
}
