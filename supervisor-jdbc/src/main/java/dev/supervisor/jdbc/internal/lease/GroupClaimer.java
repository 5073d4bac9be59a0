package dev.supervisor.jdbc.internal.lease;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group side of a claim round, for a table with a group column: keeps each group's members
 * on the node holding the group's lease ({@link GroupLeaseTable}). Each round it
 * <ol>
 *   <li>hands over the leases this node holds on rows of a group it does not hold (a row moved
 *       into a group that runs elsewhere), so the group's node claims them;</li>
 *   <li>releases the group leases it no longer needs: a group whose rows are all gone, and a
 *       group it hands over, once none of its members' leases is left;</li>
 *   <li>claims groups: always the new or orphaned rows of the groups it holds (a member added to
 *       a group runs where the group runs), and, while below its fair share, whole groups without
 *       a live owner, each in one transaction with its members' leases;</li>
 *   <li>above its share, hands over whole groups, as long as it stays at or above its share
 *       (so two nodes never pass a group back and forth).</li>
 * </ol>
 * A group counts as its members in the fair share. Runs on the lease loop's thread only.
 */
public final class GroupClaimer {

    private static final Logger LOG = LoggerFactory.getLogger(GroupClaimer.class);

    private final Jdbi jdbi;
    private final GroupLeaseTable groups;
    private final HeldLeases<?> held;
    private final Set<String> handingOver = new HashSet<>();

    /**
     * What the database said about this node's groups at the start of a round: its leases on
     * rows in a group, the groups it holds (each with whether it still has rows), and the group
     * of each of its leases on a row of a group it holds, those claimed in this round added.
     */
    public record Survey(List<GroupLeaseTable.MemberLease> members, Map<String, Boolean> owned,
                         Map<String, String> membersOfHeldGroups) {

        /** The keys of every lease this node holds on a row in a group. */
        public Set<String> memberKeys() {
            Set<String> keys = new HashSet<>(membersOfHeldGroups.keySet());
            members.forEach(member -> keys.add(member.key()));
            return keys;
        }
    }

    public GroupClaimer(Jdbi jdbi, GroupLeaseTable groups, HeldLeases<?> held) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.groups = Objects.requireNonNull(groups, "groups");
        this.held = Objects.requireNonNull(held, "held");
    }

    /** Reads this node's member leases and group leases, on the round's handle. */
    public Survey survey(Handle handle, String owner) {
        List<GroupLeaseTable.MemberLease> members = groups.members(handle, owner);
        Map<String, String> ofHeldGroups = new LinkedHashMap<>();
        members.stream().filter(GroupLeaseTable.MemberLease::groupHeld)
                .forEach(member -> ofHeldGroups.put(member.key(), member.group()));
        return new Survey(members, groups.owned(handle, owner), ofHeldGroups);
    }

    /** Steps 1 and 2: hands over leases on rows of groups held elsewhere, releases the group leases no longer needed. */
    public void tidy(String owner, Survey survey) {
        List<String> strays = survey.members().stream().filter(member -> !member.groupHeld()).map(GroupLeaseTable.MemberLease::key)
                .filter(held::holds).toList();
        if (!strays.isEmpty()) {
            LOG.info("[{}] Handing over {} lease(s) on rows of groups held by another node: {}", owner, strays.size(), strays);
            held.giveUp(strays, null);
        }
        handingOver.retainAll(survey.owned().keySet());
        held.groupsOwned(owner, survey.owned().keySet());
        List<String> leftBehind = survey.membersOfHeldGroups().entrySet().stream()
                .filter(member -> handingOver.contains(member.getValue()) && held.holds(member.getKey()))
                .map(Map.Entry::getKey).toList();
        if (!leftBehind.isEmpty()) {
            held.giveUp(leftBehind, null); // members of a group being handed over go with it
        }
        Set<String> withMembers = new HashSet<>();
        survey.members().stream().filter(GroupLeaseTable.MemberLease::groupHeld).forEach(member -> withMembers.add(member.group()));
        List<String> idle = survey.owned().entrySet().stream()
                .filter(group -> !withMembers.contains(group.getKey()) && (!group.getValue() || handingOver.contains(group.getKey())))
                .map(Map.Entry::getKey).toList();
        if (idle.isEmpty()) {
            return;
        }
        List<String> released = jdbi.inTransaction(handle -> {
            List<String> done = new ArrayList<>();
            for (String group : idle) {
                if (groups.release(handle, owner, group)) {
                    done.add(group);
                }
            }
            return done;
        });
        released.forEach(group -> {
            handingOver.remove(group);
            held.groupReleased(group);
        });
        LOG.debug("[{}] Released {} group lease(s): {}", owner, released.size(), released);
    }

    /**
     * Step 3: claims the new rows of the groups this node holds, then whole groups while it wants
     * keys, within its room.
     *
     * @param want how many more keys this node's fair share allows (0 or less: joins only)
     * @param room how many more keys its capacity allows
     * @return true if a claim was lost (another round should follow soon)
     */
    public boolean claim(String owner, Survey survey, int want, int room) {
        List<GroupLeaseTable.Candidate> candidates = new ArrayList<>(jdbi.withHandle(handle -> groups.candidates(handle, owner)));
        candidates.removeIf(candidate -> handingOver.contains(candidate.group()));
        if (candidates.isEmpty()) {
            return false;
        }
        Collections.shuffle(candidates);
        candidates.sort((a, b) -> Boolean.compare(b.mine(), a.mine()));
        boolean lost = false;
        for (GroupLeaseTable.Candidate candidate : candidates) {
            if (!candidate.mine() && (want <= 0 || candidate.rows() > room)) {
                continue;
            }
            Optional<GroupLeaseTable.Claimed> claimed = groups.claim(jdbi, owner, candidate);
            if (claimed.isEmpty()) {
                lost = true;
                continue;
            }
            held.groupClaimed(owner, candidate.group());
            claimed.get().members().keySet().forEach(key -> survey.membersOfHeldGroups().put(key, candidate.group()));
            Map<String, Long> added = new LinkedHashMap<>(claimed.get().members());
            added.keySet().removeIf(key -> held.holds(key) || held.releasing(key));
            held.claimed(owner, added);
            want -= added.size();
            room -= added.size();
            LOG.debug("[{}] Claimed {} member(s) of group {}", owner, added.size(), candidate.group());
        }
        return lost;
    }

    /**
     * Step 4: hands over whole groups while this node holds more than {@code share} keys and
     * stays at or above it.
     *
     * @param holding the keys this node holds now
     */
    public void handOver(String owner, Survey survey, int holding, int share) {
        Map<String, List<String>> members = new LinkedHashMap<>();
        survey.membersOfHeldGroups().forEach((key, group) -> {
            if (held.holds(key) && !handingOver.contains(group)) {
                members.computeIfAbsent(group, g -> new ArrayList<>()).add(key);
            }
        });
        List<String> order = new ArrayList<>(members.keySet());
        Collections.shuffle(order);
        for (String group : order) {
            List<String> keys = members.get(group);
            if (holding - keys.size() < share) {
                continue;
            }
            LOG.info("[{}] Above this node's share of {}: handing group {} ({} member(s)) over", owner, share, group,
                    keys.size());
            handingOver.add(group);
            held.giveUp(keys, null);
            holding -= keys.size();
        }
    }

    /** Deletes the group leases of dead incarnations whose groups have no rows. */
    public int deleteDeadWithoutRows() {
        return jdbi.withHandle(groups::deleteDeadWithoutRows);
    }
}
