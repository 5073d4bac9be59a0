package dev.supervisor.internal;

import dev.supervisor.GroupMembership;
import dev.supervisor.GroupPolicy;
import dev.supervisor.GroupStatus;
import dev.supervisor.GroupStrategy;
import dev.supervisor.KeyState;
import dev.supervisor.RowState;
import dev.supervisor.Runner;
import dev.supervisor.Table;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervision groups: which keys belong to which group, each group's restart intensity, and the
 * group restarts themselves ({@link GroupStrategy#ONE_FOR_ALL}, {@link GroupStrategy#REST_FOR_ONE})
 * and give-ups.
 *
 * <p>The {@link RestartScheduler} asks {@link #memberExited} when a member ended on its own and
 * its policy would restart it. A member that the group takes over is <em>held</em>: STOPPED, with
 * {@code deciding} and {@code heldByGroup} set, so no pass, restart timer or reset starts it. A
 * group's <em>round</em> then runs on a thread of its own: it stops the affected members that run,
 * one at a time in reverse group order, each waited for, holding each; then it starts the held
 * ones one at a time in group order, each RUNNING (or failed) before the next, reading each row
 * first exactly as a restart does (a row gone retires the key, a paused one pauses it). When the
 * intensity is exceeded, the round stops every member and leaves the held ones GIVEN_UP instead.
 * A member that exits during a round queues another round, which takes the members still held.
 *
 * <p>Concurrency: {@link #lock} guards the group map and each {@link Group}, and is a leaf: it is
 * taken under a slot's lock ({@link #assign}, {@link #memberExited}) and nothing is locked while
 * it is held. A round holds no lock while it waits for a process, reads the table or calls
 * {@link #events}; it starts members under the lifecycle read lock and the member's slot lock,
 * like every start, so closing refuses its starts and releases the held members as STOPPED. At
 * most one round per group runs at a time ({@link Group#running}).
 */
final class GroupCoordinator<K, P extends Runner> {
    private static final Logger log = LoggerFactory.getLogger(GroupCoordinator.class);

    private final String name;
    private final Table<K, P> table;
    private final Map<String, GroupPolicy> configured;
    private final Lifecycle lifecycle;
    private final KeySlots<K, P> slots;
    private final StatusPublisher<K> statuses;
    private final ListenerDispatcher<K> events;
    private final ThreadTracker threads;
    private OwnershipGate<K, P> gate;
    private Attempts<K, P> attempts;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Group<K>> groups = new HashMap<>();

    GroupCoordinator(String name, Table<K, P> table, Map<String, GroupPolicy> configured, Lifecycle lifecycle,
            KeySlots<K, P> slots, StatusPublisher<K> statuses, ThreadTracker threads) {
        this.name = name;
        this.table = table;
        this.configured = configured;
        this.lifecycle = lifecycle;
        this.slots = slots;
        this.statuses = statuses;
        this.events = statuses.dispatcher();
        this.threads = threads;
    }

    /** The parts a round starts and stops members through; set once by the engine's wiring, before launch. */
    void wire(OwnershipGate<K, P> gate, Attempts<K, P> attempts) {
        this.gate = gate;
        this.attempts = attempts;
    }

    // ---------------------------------------------------------------- membership

    /**
     * Records that slot's row names {@code membership} (null: no group), moving the key between
     * groups; a group left without members is retired. Caller holds the slot's lock.
     */
    void assign(KeySlot<K, P> slot, GroupMembership membership) {
        GroupMembership old = slot.membership;
        if (Objects.equals(old, membership)) {
            return;
        }
        slot.membership = membership;
        if (old != null && membership != null && old.group().equals(membership.group())) {
            return; // a new position in the same group
        }
        release(slot); // held by the group it left: STOPPED and idle, for the next pass to start on its own
        lock.lock();
        try {
            if (old != null) {
                Group<K> group = groups.get(old.group());
                if (group != null) {
                    group.members.remove(slot.key);
                    retireIfEmpty(group);
                }
            }
            if (membership != null) {
                groups.computeIfAbsent(membership.group(), Group::new).members.add(slot.key);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The key's slot was forgotten (or dropped unused): it leaves its group. Caller holds the slot's lock. */
    void forgotten(KeySlot<K, P> slot) {
        assign(slot, null);
    }

    /** Like {@link #assign}, for a slot whose lock the caller does not hold; a glance first, so an unchanged row costs nothing. */
    void seen(KeySlot<K, P> slot, GroupMembership membership) {
        if (Objects.equals(slot.membership, membership)) {
            return;
        }
        slot.lock.lock();
        try {
            if (!slot.removed) {
                assign(slot, membership);
            }
        } finally {
            slot.lock.unlock();
        }
    }

    /** Caller holds {@link #lock}. */
    private void retireIfEmpty(Group<K> group) {
        if (group.members.isEmpty() && !group.running && groups.remove(group.name, group)) {
            log.debug("[{}] group {} retired: no members left", name, group.name);
            events.groupRetired(group.name);
        }
    }

    // ---------------------------------------------------------------- exits

    /**
     * The policy of {@code group}: the builder's, else the table's, else unlimited one-for-one.
     * Reads the table: call with no lock held. A table that cannot answer keeps the last policy seen.
     */
    GroupPolicy policyOf(String group) {
        GroupPolicy given = configured.get(group);
        if (given != null) {
            return given;
        }
        try {
            return table.groupPolicy(group).orElse(GroupPolicy.UNLIMITED_ONE_FOR_ONE);
        } catch (Throwable e) {
            RowErrors.rethrowIfFatal(e);
            lock.lock();
            try {
                Group<K> known = groups.get(group);
                GroupPolicy last = known == null ? GroupPolicy.UNLIMITED_ONE_FOR_ONE : known.policy;
                log.warn("[{}] cannot read the policy of group {} ({}); using {}", name, group, e.toString(), last);
                return last;
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Slot's process ended on its own at {@code at} and its restart policy would restart it;
     * {@code policy} is its group's (read by {@link #policyOf}). Counts the restart against the
     * group's intensity and returns true if the group takes the key over: the slot is then held,
     * and the caller calls {@link #runRounds} once it released the lock. False: the key restarts
     * on its own (one-for-one within its intensity). Caller holds the slot's lock; slot is in a group.
     */
    boolean memberExited(KeySlot<K, P> slot, Instant at, GroupPolicy policy) {
        GroupMembership membership = slot.membership;
        if (membership == null || policy.equals(GroupPolicy.UNLIMITED_ONE_FOR_ONE)) {
            return false;
        }
        lock.lock();
        try {
            Group<K> group = groups.computeIfAbsent(membership.group(), Group::new);
            group.members.add(slot.key);
            group.policy = policy;
            if (group.givenUp) {
                group.giveUpPending = true; // a member that came back after the give-up joins it
            } else if (group.restarts.record(at, policy.within()) > policy.maxRestarts()) {
                group.givenUp = true;
                group.giveUpPending = true;
                log.warn("[{}] group {} restarted more than {} times within {}; giving it up until a member is reset", name,
                        group.name, policy.maxRestarts(), policy.within());
            } else if (policy.strategy() == GroupStrategy.ONE_FOR_ONE) {
                return false;
            } else {
                group.exited.addLast(slot.key);
            }
        } finally {
            lock.unlock();
        }
        slot.deciding = true;
        slot.heldByGroup = true;
        return true;
    }

    /** Runs the rounds queued for {@code group} on a thread of the supervisor's, unless one runs already. Call with no lock held. */
    void runRounds(String group) {
        Group<K> target;
        lock.lock();
        try {
            target = groups.get(group);
            if (target == null || target.running) {
                return;
            }
            target.running = true;
        } finally {
            lock.unlock();
        }
        threads.start(name + "-group-" + group, () -> rounds(target));
    }

    /**
     * Lifts the give-up of slot's group, if it gave up, and forgets its restart count; returns the
     * other members' slots, for the caller to reset (each under its own lock). Caller holds no lock.
     */
    List<KeySlot<K, P>> reset(KeySlot<K, P> slot) {
        GroupMembership membership = slot.membership;
        if (membership == null) {
            return List.of();
        }
        lock.lock();
        try {
            Group<K> group = groups.get(membership.group());
            if (group == null || !group.givenUp) {
                return List.of();
            }
            group.givenUp = false;
            group.restarts = new RestartWindow();
        } finally {
            lock.unlock();
        }
        List<KeySlot<K, P>> others = new ArrayList<>(ordered(membership.group()));
        others.remove(slot);
        return others;
    }

    /** The group as this supervisor knows it, or empty. Never blocks on a process. */
    Optional<GroupStatus<K>> status(String groupName) {
        GroupPolicy policy;
        boolean givenUp;
        int recent;
        lock.lock();
        try {
            Group<K> group = groups.get(groupName);
            if (group == null) {
                return Optional.empty();
            }
            policy = group.policy;
            givenUp = group.givenUp;
            recent = group.restarts.size();
        } finally {
            lock.unlock();
        }
        return Optional.of(new GroupStatus<>(groupName, policy, keysOf(ordered(groupName)), givenUp, recent));
    }

    // ---------------------------------------------------------------- rounds

    private void rounds(Group<K> group) {
        while (true) {
            List<K> exited;
            boolean givingUp;
            GroupStrategy strategy;
            lock.lock();
            try {
                if (group.exited.isEmpty() && !group.giveUpPending) {
                    group.running = false;
                    retireIfEmpty(group);
                    return;
                }
                exited = List.copyOf(group.exited);
                givingUp = group.giveUpPending;
                strategy = group.policy.strategy();
                group.exited.clear();
                group.giveUpPending = false;
            } finally {
                lock.unlock();
            }
            List<KeySlot<K, P>> members = ordered(group.name);
            List<KeySlot<K, P>> affected = affected(members, exited, givingUp ? GroupStrategy.ONE_FOR_ALL : strategy);
            if (!givingUp && !affected.isEmpty()) {
                log.info("[{}] {} of group {} ended: restarting {} ({})", name, exited.get(0), group.name,
                        keysOf(affected), strategy);
                events.groupRestarting(group.name, exited.get(0), keysOf(affected));
            }
            stopInReverse(affected);
            if (givingUp) {
                giveUp(affected);
                events.groupGivenUp(group.name, keysOf(members));
            } else {
                startInOrder(group, affected);
            }
        }
    }

    /** The members a round acts on, in group order: by the strategy, plus every member still held from an earlier round. */
    private List<KeySlot<K, P>> affected(List<KeySlot<K, P>> members, List<K> exited, GroupStrategy strategy) {
        int from = 0;
        if (strategy == GroupStrategy.REST_FOR_ONE) {
            from = members.size();
            for (int i = 0; i < members.size(); i++) {
                if (exited.contains(members.get(i).key)) {
                    from = i;
                    break;
                }
            }
        }
        List<KeySlot<K, P>> affected = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            if (i >= from || isHeld(members.get(i))) {
                affected.add(members.get(i));
            }
        }
        return affected;
    }

    /** Stops the affected members that have a process, the last one first, each waited for; holds each. */
    private void stopInReverse(List<KeySlot<K, P>> affected) {
        for (int i = affected.size() - 1; i >= 0; i--) {
            KeySlot<K, P> slot = affected.get(i);
            ProcessAttempt<K, P> stopping = null;
            slot.lock.lock();
            try {
                if (slot.removed) {
                    continue;
                }
                if (slot.attempt != null) {
                    stopping = slot.attempt;
                    slot.heldByGroup = true;
                    attempts.requestStop(stopping, StopReason.GROUP);
                } else if (slot.phase() == KeyState.BACKOFF && !slot.deciding) {
                    slot.cancelRestart(); // a one-for-one member waiting for its own restart: the group takes it
                    slot.moveTo(KeyState.STOPPED);
                    slot.deciding = true;
                    slot.heldByGroup = true;
                    statuses.publish(slot);
                }
            } finally {
                slot.lock.unlock();
            }
            if (stopping != null) {
                attempts.awaitEnded(stopping);
            }
        }
    }

    /** Leaves every held member GIVEN_UP (a member whose row is gone retires, a paused one pauses), in group order. */
    private void giveUp(List<KeySlot<K, P>> affected) {
        for (KeySlot<K, P> slot : affected) {
            Optional<RowState<P>> row = readRow(slot);
            slot.lock.lock();
            try {
                if (!release(slot)) {
                    continue;
                }
                if (row != null && row.isEmpty()) {
                    slots.forget(slot, true);
                } else {
                    slot.moveTo(row != null && row.get().paused() ? KeyState.PAUSED : KeyState.GIVEN_UP);
                    statuses.publish(slot);
                }
            } finally {
                slot.lock.unlock();
            }
        }
    }

    /**
     * Starts the held members in group order, each RUNNING (or failed) before the next; stops
     * early when another round is queued, which takes over the members still held.
     */
    private void startInOrder(Group<K> group, List<KeySlot<K, P>> affected) {
        for (KeySlot<K, P> slot : affected) {
            if (roundQueued(group)) {
                return;
            }
            if (!isHeld(slot)) {
                continue;
            }
            Optional<RowState<P>> row = readRow(slot);
            ProcessAttempt<K, P> started = lifecycle.whileStartsAllowed(() -> {
                slot.lock.lock();
                try {
                    if (!release(slot)) {
                        return null;
                    }
                    if (row == null) {
                        return null; // unreadable: STOPPED, for the next pass to start
                    }
                    if (row.isEmpty()) {
                        slots.forget(slot, true);
                        return null;
                    }
                    if (row.get().paused()) {
                        slot.moveTo(KeyState.PAUSED);
                        statuses.publish(slot);
                        return null;
                    }
                    ProcessAttempt<K, P> next = gate.begin(slot, row.get().value(), row.get().revision(), row.get().restartRequests());
                    if (next == null) {
                        slots.forget(slot, false); // another node owns it now
                    }
                    return next;
                } finally {
                    slot.lock.unlock();
                }
            }, () -> {
                slot.lock.lock();
                try {
                    release(slot); // closing: the member stays STOPPED
                } finally {
                    slot.lock.unlock();
                }
                return null;
            });
            if (started != null) {
                started.started.handle((process, failure) -> null).join();
            }
        }
    }

    private boolean roundQueued(Group<K> group) {
        lock.lock();
        try {
            return !group.exited.isEmpty() || group.giveUpPending;
        } finally {
            lock.unlock();
        }
    }

    /** The key's row, or null when it cannot be read (logged). Call with no lock held. */
    private Optional<RowState<P>> readRow(KeySlot<K, P> slot) {
        try {
            return table.row(slot.key);
        } catch (Throwable e) {
            RowErrors.rethrowIfFatal(e);
            log.warn("[{}] cannot read the row of {} for its group ({}); leaving it to the next pass", name, slot.key,
                    e.toString());
            return null;
        }
    }

    private boolean isHeld(KeySlot<K, P> slot) {
        slot.lock.lock();
        try {
            return heldNow(slot);
        } finally {
            slot.lock.unlock();
        }
    }

    /** Caller holds the slot's lock. */
    private static boolean heldNow(KeySlot<?, ?> slot) {
        return slot.heldByGroup && slot.deciding && slot.attempt == null && !slot.removed;
    }

    /** Ends the hold on slot; false if it was not held (anymore). Caller holds the slot's lock. */
    private static boolean release(KeySlot<?, ?> slot) {
        boolean held = heldNow(slot);
        slot.heldByGroup = false;
        if (held) {
            slot.deciding = false;
        }
        return held;
    }

    /** The group's members' slots in group order: ascending position, ties by the key's string form. */
    private List<KeySlot<K, P>> ordered(String groupName) {
        List<K> keys;
        lock.lock();
        try {
            Group<K> group = groups.get(groupName);
            keys = group == null ? List.of() : List.copyOf(group.members);
        } finally {
            lock.unlock();
        }
        List<KeySlot<K, P>> members = new ArrayList<>();
        for (K key : keys) {
            KeySlot<K, P> slot = slots.get(key);
            if (slot != null) {
                members.add(slot);
            }
        }
        members.sort(Comparator.<KeySlot<K, P>>comparingLong(slot -> {
            GroupMembership membership = slot.membership;
            return membership == null ? Long.MAX_VALUE : membership.position();
        }).thenComparing(slot -> String.valueOf(slot.key)));
        return members;
    }

    private List<K> keysOf(List<KeySlot<K, P>> members) {
        return members.stream().map(slot -> slot.key).toList();
    }

    /** One group's bookkeeping; guarded by {@link GroupCoordinator#lock}. */
    private static final class Group<K> {
        final String name;
        final Set<K> members = new HashSet<>();
        GroupPolicy policy = GroupPolicy.UNLIMITED_ONE_FOR_ONE;
        RestartWindow restarts = new RestartWindow();
        boolean givenUp;
        /** A round runs (or is about to) on the group's thread. */
        boolean running;
        /** Members that ended since the last round began, oldest first. */
        final ArrayDeque<K> exited = new ArrayDeque<>();
        boolean giveUpPending;

        Group(String name) {
            this.name = name;
        }
    }
}
