package dev.supervisor.jdbc.internal.lease;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One claim round, and the release of leases whose processes have ended. Runs on the lease
 * loop's thread only; every statement of a round is short and has a timeout, and none waits for
 * a lock another node's transaction holds (see {@link LeaseTable#claim}).
 *
 * <p>A round: deletes the rows of expired incarnations (their leases become claimable); computes
 * this node's {@link FairShare} from the row count and the active nodes' capacities; above it,
 * gives keys up (their processes stop gracefully, then their leases are released, so a new node
 * gets work within one round plus a stop); below it, claims keys without a valid lease, up to the
 * share, the capacity and {@link #MAX_BATCH} per round. Housekeeping rounds (and the round after
 * a claim failed, whose answer may have been lost) also compare the leases the database says this
 * incarnation owns with the ones it holds, and give up leases whose rows are gone. It reports when
 * the next incarnation of another node expires, so the loop can look again right then: a dead
 * node's keys move as soon as its row allows. For a table with groups, a {@link GroupClaimer}
 * keeps each group's members on one node: rows in a group are claimed and handed over only with
 * their group, and this round's own claims and hand-overs take ungrouped rows only.
 *
 * <p><b>The row count</b> is a scan of the whole table ({@code COUNT(*)}), the one statement of a
 * round whose cost grows with the table. It is taken in a round that was asked for (the
 * supervisor met a key no node holds: a new row, a released lease; or the last round wants
 * another), in housekeeping rounds, and after a failed round; a plain scheduled round reuses the
 * last count. So a table at rest is not scanned between housekeeping rounds, and a new row is
 * counted before it is claimed: its node's supervisor asks for the round that claims it. A count
 * that is stale because rows were deleted only delays a hand-over until the next housekeeping
 * round; it never lets two nodes hold a key.
 */
public final class LeaseClaimer {

    /** The most keys claimed in one round; a round that fills it asks for another at once. */
    public static final int MAX_BATCH = 5000;

    private static final Logger LOG = LoggerFactory.getLogger(LeaseClaimer.class);

    private final NodeIdentity identity;
    private final Jdbi jdbi;
    private final LeaseTable leases;
    private final NodeRegistry nodes;
    private final HeldLeases<?> held;
    private final GroupClaimer groups; // null: the table has no groups
    private boolean failing;
    private boolean reconcile;
    private long rowCount = -1; // the last count of the table's rows; -1: none, or the round after it failed

    /** What a round found out, for the loop's schedule. */
    public record Outcome(boolean again, Optional<Duration> untilNextExpiry) {
    }

    /** A claimer; {@code groups} is null for a table without a group column. */
    public LeaseClaimer(NodeIdentity identity, Jdbi jdbi, LeaseTable leases, NodeRegistry nodes, HeldLeases<?> held,
                        GroupClaimer groups) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.leases = Objects.requireNonNull(leases, "leases");
        this.nodes = Objects.requireNonNull(nodes, "nodes");
        this.held = Objects.requireNonNull(held, "held");
        this.groups = groups;
    }

    private record Survey(long rows, Map<String, Integer> capacities, List<String> orphans,
                          Optional<Duration> untilNextExpiry, long othersNamedAlike, GroupClaimer.Survey groups) {
    }

    /**
     * One round.
     *
     * @param housekeeping also reconcile the held leases with the database's, delete dead
     *     incarnations' leases of deleted rows, and count the table's rows
     * @param asked the round was asked for (not only due by the schedule): count the table's rows
     * @throws Exception if the database fails; the loop logs it and tries again later
     */
    public Outcome claimOnce(boolean housekeeping, boolean asked) throws Exception {
        String owner = identity.id();
        boolean reconcileNow = housekeeping || reconcile;
        boolean count = housekeeping || asked || rowCount < 0;
        Survey survey;
        try {
            survey = jdbi.withHandle(handle -> {
                int dead = nodes.removeDead(handle);
                if (dead > 0) {
                    LOG.info("[{}] {} node incarnation(s) stopped beating for a ttl: their keys may be claimed", owner, dead);
                }
                if (reconcileNow) {
                    held.reconciled(owner, leases.owned(handle, owner));
                }
                return new Survey(count ? leases.rows(handle) : rowCount, nodes.liveCapacities(handle),
                        reconcileNow ? leases.orphans(handle, owner) : List.of(), nodes.untilNextExpiry(handle),
                        housekeeping ? nodes.othersNamedAlike(handle) : 0,
                        groups == null ? null : groups.survey(handle, owner));
            });
        } catch (RuntimeException e) {
            rowCount = -1;
            if (!failing) {
                failing = true;
                LOG.warn("[{}] Cannot look for keys to claim; retrying: {}", owner, e.getMessage());
            }
            throw e;
        }
        failing = false;
        reconcile = false;
        rowCount = survey.rows();
        List<String> orphans = survey.orphans().stream().filter(held::holds).toList();
        if (!orphans.isEmpty()) {
            LOG.debug("[{}] Giving up {} lease(s) whose rows are gone", owner, orphans.size());
            held.giveUp(orphans, null);
        }
        if (survey.othersNamedAlike() > 0) {
            LOG.warn("[{}] {} other live node(s) use the same node name; give each node its own name, so the tables"
                    + " say which is which", owner, survey.othersNamedAlike());
        }
        int share = FairShare.of(survey.rows(), List.copyOf(survey.capacities().values()), nodes.capacity());
        boolean again = false;
        if (groups != null) {
            groups.tidy(owner, survey.groups());
            if (held.mayClaim()) {
                again = groups.claim(owner, survey.groups(), share - held.size(),
                        nodes.capacity() - held.size() - held.releasingCount());
            }
        }
        int holding = held.size();
        if (holding > share) {
            List<String> keys = new ArrayList<>(held.keys());
            if (groups != null) {
                keys.removeAll(survey.groups().memberKeys());
            }
            Collections.shuffle(keys);
            List<String> extra = keys.subList(0, Math.min(keys.size(), holding - share));
            if (!extra.isEmpty()) {
                LOG.info("[{}] Holding {} keys, above this node's share of {} ({} rows, {} active nodes): handing {} over",
                        owner, holding, share, survey.rows(), survey.capacities().size(), extra.size());
                held.giveUp(List.copyOf(extra), null);
            }
            if (groups != null) {
                groups.handOver(owner, survey.groups(), holding - extra.size(), share);
            }
        } else if (holding < share && held.mayClaim()) {
            int want = Math.min(Math.min(share, nodes.capacity() - held.releasingCount()) - holding, MAX_BATCH);
            if (want > 0) {
                again |= claim(owner, want, survey.rows());
            }
        }
        if (housekeeping) {
            int stale = jdbi.withHandle(leases::deleteDeadWithoutRows) + (groups == null ? 0 : groups.deleteDeadWithoutRows());
            if (stale > 0) {
                LOG.debug("[{}] Deleted {} lease(s) of dead incarnations whose rows are gone", owner, stale);
            }
        }
        return new Outcome(again, survey.untilNextExpiry());
    }

    /** Claims up to want keys; true if another round should follow at once (races lost, or a full batch). */
    private boolean claim(String owner, int want, long rows) throws Exception {
        List<LeaseTable.Candidate> candidates = jdbi.withHandle(handle -> leases.claimable(handle, want, rows));
        if (candidates.isEmpty()) {
            return false;
        }
        Map<String, Long> won;
        try {
            won = leases.claim(jdbi, owner, candidates);
        } catch (Exception e) {
            reconcile = true; // a claim may have committed although its answer was lost
            throw e;
        }
        held.claimed(owner, won);
        if (!won.isEmpty()) {
            LOG.debug("[{}] Claimed {} of {} key(s) tried", owner, won.size(), candidates.size());
        }
        return won.size() < candidates.size() || candidates.size() == MAX_BATCH;
    }

    /**
     * Releases the leases whose processes have ended, in one transaction, and tells the other
     * nodes (on PostgreSQL) so they claim them at once.
     *
     * @return false if the database failed (the leases stay queued, and stay this node's meanwhile)
     */
    public boolean releaseEnded() {
        List<String> dropped = held.drainReleasedBySupervisor();
        if (!dropped.isEmpty()) {
            held.giveUp(dropped, null); // their processes have ended already: lost() completes at once
        }
        List<HeldLeases.Lease> ended = held.endedLeases();
        if (ended.isEmpty()) {
            return true;
        }
        String owner = identity.id();
        try {
            jdbi.useTransaction(handle -> {
                leases.limit(handle);
                for (HeldLeases.Lease lease : ended) {
                    leases.release(handle, owner, lease.key(), lease.epoch());
                }
                leases.announce(handle, ended.stream().map(HeldLeases.Lease::key).toList());
            });
        } catch (Exception e) {
            ended.forEach(lease -> held.released(lease, false));
            LOG.warn("[{}] Cannot release {} lease(s) yet; they stay this node's until released: {}", owner, ended.size(),
                    e.getMessage());
            return false;
        }
        ended.forEach(lease -> held.released(lease, true));
        LOG.debug("[{}] Released {} lease(s)", owner, ended.size());
        return true;
    }
}
