package dev.supervisor.jdbc.internal.lease;

import dev.supervisor.jdbc.Identifier;
import dev.supervisor.jdbc.internal.dialect.SqlDialect;
import java.time.Duration;
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
 * The SQL of group leases ({@code supervisor_group_leases}), for a desired table with a group
 * column: a group's members run on the node holding the group's lease. Only that node creates
 * or takes over leases on the group's rows, in the same transaction that checks (or takes) the
 * group's lease; so no two nodes hold leases on members of one group, except for a row that moved
 * into the group while another node held its lease, which that node hands over at its next round
 * ({@link #members}). Each member keeps its own lease (and epoch) in {@code supervisor_leases},
 * which is what fences its writes. Thread-safe.
 */
public final class GroupLeaseTable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupLeaseTable.class);
    /** The most groups one round considers. */
    private static final int MAX_GROUPS = 1000;

    private final String tableName;
    private final LeaseTable leases;
    private final String candidates;
    private final String members;
    private final String owned;
    private final String nextEpoch;
    private final String stillOwned;
    private final String create;
    private final String takeOver;
    private final String takeOverMembers;
    private final String createMembers;
    private final String claimedMembers;
    private final String release;
    private final String releaseAll;
    private final String deleteDeadWithoutRows;

    /**
     * A group with rows this node may claim (no lease, or a dead owner's): its lease is absent
     * ({@code epoch} null), its owner dead (its epoch), or this node's ({@code mine}).
     */
    public record Candidate(String group, Long epoch, boolean mine, int rows) {
    }

    /** One of this node's leases on a row in {@code group}; {@code groupHeld} if the node holds that group's lease. */
    public record MemberLease(String key, String group, boolean groupHeld) {
    }

    /** What a group claim won: the group's epoch and its members' leases (key to epoch). */
    public record Claimed(String group, long epoch, Map<String, Long> members) {
    }

    /**
     * @param leases the key leases of the same table (its statement limits and key column)
     * @param desired the desired-state table
     * @param key its key column
     * @param group its group column
     */
    public GroupLeaseTable(SqlDialect dialect, LeaseTable leases, Identifier desired, LeaseKeyColumn key, Identifier group,
                           Duration ttl) {
        this.leases = Objects.requireNonNull(leases, "leases");
        this.tableName = desired.toString();
        Identifier groupLeases = LeaseSchema.GROUP_LEASES;
        Identifier keyLeases = LeaseSchema.LEASES;
        Identifier nodes = LeaseSchema.NODES;
        String expiry = dialect.databaseTimePlus(ttl);
        String grouped = "p." + group + " > ''"; // not null, not empty; a range of the group column's index
        String liveLease = "EXISTS (SELECT 1 FROM " + keyLeases + " l WHERE l.name = " + key.asName(dialect, "p")
                + " AND l.table_name = ? AND EXISTS (SELECT 1 FROM " + nodes + " n WHERE n.node = l.owner))";
        this.candidates = "SELECT p." + group + ", g.epoch, g.owner, COUNT(*) FROM " + desired + " p LEFT JOIN " + groupLeases
                + " g ON g.group_name = p." + group + " AND g.table_name = ? WHERE " + grouped + " AND NOT " + liveLease
                + " AND (g.owner IS NULL OR g.owner = ? OR NOT EXISTS (SELECT 1 FROM " + nodes + " n WHERE n.node = g.owner))"
                + " GROUP BY p." + group + ", g.epoch, g.owner LIMIT " + MAX_GROUPS;
        this.members = "SELECT l.name, p." + group + ", CASE WHEN g.owner IS NULL THEN 0 ELSE 1 END FROM " + desired + " p JOIN "
                + keyLeases + " l ON l.name = " + key.asName(dialect, "p") + " AND l.table_name = ? LEFT JOIN " + groupLeases
                + " g ON g.group_name = p." + group + " AND g.table_name = l.table_name AND g.owner = l.owner WHERE " + grouped
                + " AND l.owner = ?";
        this.owned = "SELECT g.group_name, CASE WHEN EXISTS (SELECT 1 FROM " + desired + " p WHERE p." + group
                + " = g.group_name) THEN 1 ELSE 0 END FROM " + groupLeases + " g WHERE g.owner = ? AND g.table_name = ?";
        this.nextEpoch = "SELECT " + dialect.nextValue(LeaseSchema.EPOCHS);
        this.stillOwned = "SELECT epoch FROM " + groupLeases + " WHERE group_name = ? AND table_name = ? AND owner = ?";
        this.create = dialect.insertUnlessPresent() + " " + groupLeases + " (group_name, table_name, owner, epoch, acquired_at, expires_at)"
                + " SELECT ?, ?, ?, ?, " + dialect.now() + ", " + expiry + " FROM " + nodes + " WHERE node = ? AND NOT EXISTS"
                + " (SELECT 1 FROM " + groupLeases + " WHERE group_name = ? AND table_name = ?)";
        this.takeOver = "UPDATE " + groupLeases + " SET owner = ?, epoch = ?, acquired_at = " + dialect.now() + ", expires_at = "
                + expiry + " WHERE group_name = ? AND table_name = ? AND epoch = ? AND NOT EXISTS (SELECT 1 FROM " + nodes
                + " n WHERE n.node = " + groupLeases + ".owner)";
        String ofGroup = "EXISTS (SELECT 1 FROM " + desired + " p WHERE " + key.matches(dialect, "p", "l.name") + " AND p." + group
                + " = ?)";
        this.takeOverMembers = "UPDATE " + keyLeases + " SET owner = ?, epoch = " + dialect.nextValue(LeaseSchema.EPOCHS)
                + ", acquired_at = " + dialect.now() + ", expires_at = " + expiry + " WHERE (name, table_name) IN ("
                + dialect.sameTable("SELECT l.name, l.table_name FROM " + keyLeases + " l WHERE l.table_name = ? AND NOT EXISTS (SELECT 1 FROM " + nodes
                + " n WHERE n.node = l.owner) AND " + ofGroup + dialect.skipLocked()) + ")";
        this.createMembers = "INSERT INTO " + keyLeases + " (name, table_name, owner, epoch, acquired_at, expires_at) SELECT "
                + key.asName(dialect, "p") + ", ?, ?, " + dialect.nextValue(LeaseSchema.EPOCHS) + ", " + dialect.now() + ", " + expiry
                + " FROM " + desired + " p WHERE p." + group + " = ? AND NOT EXISTS (SELECT 1 FROM " + keyLeases
                + " l WHERE l.name = " + key.asName(dialect, "p") + " AND l.table_name = ?)";
        this.claimedMembers = "SELECT l.name, l.epoch FROM " + keyLeases + " l WHERE l.owner = ? AND l.table_name = ? AND "
                + ofGroup;
        this.release = "DELETE FROM " + groupLeases + " WHERE group_name = ? AND table_name = ? AND owner = ? AND NOT EXISTS"
                + " (SELECT 1 FROM " + keyLeases + " l WHERE l.owner = ? AND l.table_name = ? AND " + ofGroup + ")";
        this.releaseAll = "DELETE FROM " + groupLeases + " WHERE owner = ?";
        this.deleteDeadWithoutRows = "DELETE FROM " + groupLeases + " WHERE table_name = ? AND NOT EXISTS (SELECT 1 FROM " + nodes
                + " n WHERE n.node = " + groupLeases + ".owner) AND NOT EXISTS (SELECT 1 FROM " + desired + " p WHERE p." + group
                + " = " + groupLeases + ".group_name)";
    }

    /** Groups with rows that have no live lease, and whose lease is absent, dead or owner's. */
    public List<Candidate> candidates(Handle handle, String owner) {
        return handle.createQuery(candidates).bind(0, tableName).bind(1, tableName).bind(2, owner)
                .map((rs, ctx) -> {
                    long epoch = rs.getLong(2);
                    Long known = rs.wasNull() ? null : epoch;
                    return new Candidate(rs.getString(1), known, owner.equals(rs.getString(3)), rs.getInt(4));
                })
                .list();
    }

    /** Owner's leases on rows that are in a group, each with that group and whether owner holds the group's lease. */
    public List<MemberLease> members(Handle handle, String owner) {
        return handle.createQuery(members).bind(0, tableName).bind(1, owner)
                .map((rs, ctx) -> new MemberLease(rs.getString(1), rs.getString(2), rs.getInt(3) == 1))
                .list();
    }

    /** The groups owner holds a lease on, each with whether the group still has rows. */
    public Map<String, Boolean> owned(Handle handle, String owner) {
        Map<String, Boolean> groups = new LinkedHashMap<>();
        handle.createQuery(owned).bind(0, owner).bind(1, tableName)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2) == 1))
                .forEach(entry -> groups.put(entry.getKey(), entry.getValue()));
        return groups;
    }

    /**
     * In one transaction: takes the candidate's group lease for owner (creates it, takes it over
     * from its dead owner if its epoch is unchanged, or checks it is still owner's), then
     * takes over the dead owners' leases on the group's rows (skipping lease rows a transaction
     * holds) and creates the missing ones, each with a new epoch. Empty if the group went to
     * another node, or a row's lease was created by another node meanwhile (the group is tried
     * again in a later round).
     */
    public Optional<Claimed> claim(Jdbi jdbi, String owner, Candidate candidate) {
        String group = candidate.group();
        try {
            return jdbi.inTransaction(handle -> {
                leases.limit(handle);
                long epoch;
                if (candidate.mine()) {
                    Optional<Long> held = handle.createQuery(stillOwned).bind(0, group).bind(1, tableName).bind(2, owner)
                            .mapTo(Long.class).findOne();
                    if (held.isEmpty()) {
                        return Optional.<Claimed>empty();
                    }
                    epoch = held.get();
                } else {
                    epoch = handle.createQuery(nextEpoch).mapTo(Long.class).one();
                    int taken = candidate.epoch() == null
                            ? handle.execute(create, group, tableName, owner, epoch, owner, group, tableName)
                            : handle.execute(takeOver, owner, epoch, group, tableName, candidate.epoch());
                    if (taken != 1) {
                        return Optional.<Claimed>empty();
                    }
                }
                handle.execute(takeOverMembers, owner, tableName, group);
                handle.execute(createMembers, tableName, owner, group, tableName);
                Map<String, Long> won = new LinkedHashMap<>();
                handle.createQuery(claimedMembers).bind(0, owner).bind(1, tableName).bind(2, group)
                        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                        .forEach(entry -> won.put(entry.getKey(), entry.getValue()));
                return Optional.of(new Claimed(group, epoch, won));
            });
        } catch (JdbiException e) {
            LOG.debug("[{}] Could not claim group {}: {}", owner, group, e.getMessage());
            return Optional.empty();
        }
    }

    /** Deletes owner's lease on group unless owner still holds a lease on one of its rows; true if deleted. */
    public boolean release(Handle handle, String owner, String group) {
        return handle.execute(release, group, tableName, owner, owner, tableName, group) == 1;
    }

    /** Deletes every group lease of owner. */
    public void releaseAll(Handle handle, String owner) {
        handle.execute(releaseAll, owner);
    }

    /** Deletes the group leases of dead incarnations whose groups have no rows left. */
    public int deleteDeadWithoutRows(Handle handle) {
        return handle.execute(deleteDeadWithoutRows, tableName);
    }
}
