package dev.supervisor.internal;

import dev.supervisor.Clock;
import dev.supervisor.GroupMembership;
import dev.supervisor.GroupPolicy;
import dev.supervisor.KeyState;
import dev.supervisor.NotRunningException;
import dev.supervisor.ProcessNotFoundException;
import dev.supervisor.ProcessExit;
import dev.supervisor.RestartPolicy;
import dev.supervisor.RowState;
import dev.supervisor.Runner;
import dev.supervisor.SupervisorException;
import dev.supervisor.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens after an exit nobody asked for: the restart policy's decision (restart after
 * backoff, give up, or complete; or, for a member of a group, hand it to the
 * {@link GroupCoordinator}), the backoff timer, and the restart when it falls due, which
 * goes through the {@link OwnershipGate} like any start. Also the history a {@code reset(key)}
 * forgets.
 *
 * <p>Concurrency: decisions and timers change a slot only under its lock; the table is read
 * before the lock is taken. A restart that falls due runs on its own virtual thread and starts
 * under the lifecycle read lock, then the slot's lock. {@link #randomLock} guards the shared
 * jitter source and is a leaf: nothing is locked while it is held.
 */
final class RestartScheduler<K, P extends Runner> {
    private static final Logger log = LoggerFactory.getLogger(RestartScheduler.class);

    private final String name;
    private final Table<K, P> table;
    private final Clock clock;
    private final Lifecycle lifecycle;
    private final KeySlots<K, P> slots;
    private final StatusPublisher<K> statuses;
    private final OwnershipGate<K, P> gate;
    private final ThreadTracker threads;
    private final BiFunction<K, P, RestartPolicy> policies;
    private final RandomGenerator random;
    private final GroupCoordinator<K, P> groups;
    private final ReentrantLock randomLock = new ReentrantLock();

    RestartScheduler(String name, Table<K, P> table, Clock clock, Lifecycle lifecycle, KeySlots<K, P> slots,
            StatusPublisher<K> statuses, OwnershipGate<K, P> gate, ThreadTracker threads,
            BiFunction<K, P, RestartPolicy> policies, RandomGenerator random, GroupCoordinator<K, P> groups) {
        this.groups = groups;
        this.name = name;
        this.table = table;
        this.clock = clock;
        this.lifecycle = lifecycle;
        this.slots = slots;
        this.statuses = statuses;
        this.gate = gate;
        this.threads = threads;
        this.policies = policies;
        this.random = random;
    }

    /**
     * Forgets the key's failure history and backoff; a key waiting in BACKOFF, GIVEN_UP or
     * COMPLETED goes back to STOPPED, for the next pass to start. Caller holds the slot's lock.
     */
    void reset(KeySlot<K, P> slot) {
        slot.resetHistory();
        if (slot.attempt == null && !slot.removed && !slot.deciding && slot.phase() != KeyState.STOPPED
                && slot.phase() != KeyState.PAUSED) {
            slot.cancelRestart();
            slot.moveTo(KeyState.STOPPED);
            statuses.publish(slot);
        }
    }

    /** The supervisor is closing: drops a pending restart; a key in BACKOFF becomes STOPPED. Caller holds the slot's lock. */
    void cancelForClose(KeySlot<K, P> slot) {
        slot.cancelRestart();
        if (slot.phase() == KeyState.BACKOFF) {
            slot.moveTo(KeyState.STOPPED);
            statuses.publish(slot);
        }
    }

    /**
     * After an exit nobody asked for: a process that deleted its own row is retired; otherwise
     * the restart policy decides between a restart after backoff, giving up, and completion.
     * Runs on the ended attempt's thread; reads the table before taking the lock.
     */
    void decide(KeySlot<K, P> slot, ProcessAttempt<K, P> attempt, ProcessExit exit) {
        boolean rowGone = false;
        boolean paused = false;
        GroupMembership membership = slot.membership;
        GroupPolicy groupPolicy = membership == null ? null : groups.policyOf(membership.group());
        String groupRound = null;
        if (lifecycle.startsAllowed()) {
            try {
                Optional<RowState<P>> row = table.row(slot.key);
                rowGone = row.isEmpty();
                paused = row.map(RowState::paused).orElse(false);
            } catch (Throwable e) {
                RowErrors.rethrowIfFatal(e);
                log.warn("[{}] cannot read the row of {} after its exit ({}); treating it as present", name, slot.key, e.toString());
            }
        }
        slot.lock.lock();
        try {
            if (slot.removed || slot.attempt != null || !slot.deciding) {
                return; // someone acted meanwhile: a start, a retirement or a reset
            }
            slot.deciding = false;
            if (rowGone) {
                log.debug("[{}] {} removed its own row; not restarting it", name, slot.key);
                slots.forget(slot, true);
                return;
            }
            if (!lifecycle.startsAllowed()) {
                return; // closing: the key stays STOPPED
            }
            if (paused) {
                slot.moveTo(KeyState.PAUSED);
                statuses.publish(slot);
                return;
            }
            RestartPolicy policy = policies.apply(slot.key, attempt.process);
            if (groupPolicy != null && slot.membership == membership && policy.restarts(exit.kind())
                    && groups.memberExited(slot, exit.at(), groupPolicy)) {
                groupRound = membership.group(); // its group restarts it, with others, or gives it up
                return;
            }
            if (startupBudgetSpent(slot, exit, policy)) {
                slot.moveTo(KeyState.GIVEN_UP);
                statuses.publish(slot);
                log.warn("[{}] {} failed {} times in a row within {} of starting; giving up until reset or re-inserted", name,
                        slot.key, policy.startupFailures(), policy.startupGrace());
                return;
            }
            if (exit.kind().isFailure() && policy.giveUpFailures() > 0
                    && slot.recordFailure(exit.at(), policy.giveUpWindow()) > policy.giveUpFailures()) {
                slot.moveTo(KeyState.GIVEN_UP);
                statuses.publish(slot);
                log.warn("[{}] {} failed more than {} times within {}; giving up until reset or re-inserted", name,
                        slot.key, policy.giveUpFailures(), policy.giveUpWindow());
                return;
            }
            if (!policy.restarts(exit.kind())) {
                slot.moveTo(KeyState.COMPLETED);
                statuses.publish(slot);
                log.debug("[{}] {} completed ({} policy)", name, slot.key, policy.mode());
                return;
            }
            if (exit.ran().compareTo(policy.resetAfter()) >= 0) {
                slot.resetBackoff();
            }
            slot.restartPolicy = policy;
            slot.consecutive++;
            scheduleRestart(slot, policy.delay(slot.consecutive, nextRandom()));
        } finally {
            slot.lock.unlock();
            if (groupRound != null) {
                groups.runRounds(groupRound);
            }
        }
    }

    /**
     * Counts a failure within the policy's startup grace, and starts the count again on any other
     * decided exit; true once the budget is spent. Caller holds the slot's lock.
     */
    private static boolean startupBudgetSpent(KeySlot<?, ?> slot, ProcessExit exit, RestartPolicy policy) {
        if (policy.startupFailures() == 0) {
            return false;
        }
        boolean early = exit.kind().isFailure() && slot.startedAt != null
                && Duration.between(slot.startedAt, exit.at()).compareTo(policy.startupGrace()) < 0;
        slot.startupFailures = early ? slot.startupFailures + 1 : 0;
        return slot.startupFailures >= policy.startupFailures();
    }

    private double nextRandom() {
        randomLock.lock();
        try {
            return random.nextDouble();
        } finally {
            randomLock.unlock();
        }
    }

    /** Arms the restart timer. Caller holds the slot's lock. */
    private void scheduleRestart(KeySlot<K, P> slot, Duration delay) {
        slot.cancelRestart();
        long token = slot.restartToken;
        slot.moveTo(KeyState.BACKOFF);
        Instant due = clock.now().plus(delay);
        slot.nextAttemptAt = due;
        statuses.publish(slot);
        log.debug("[{}] restarting {} in {}", name, slot.key, delay);
        CompletableFuture<Void> timer = clock.at(due); // fires exactly at the published nextAttemptAt
        slot.restartTimer = timer;
        timer.thenRun(() -> {
            if (lifecycle.startsAllowed()) {
                threads.start(name + "-restart-" + slot.key, () -> restartDue(slot, token));
            }
        });
    }

    private void restartDue(KeySlot<K, P> slot, long token) {
        if (!stillPending(slot, token)) {
            return;
        }
        Optional<RowState<P>> row;
        try {
            row = table.row(slot.key);
        } catch (Throwable e) {
            RowErrors.rethrowIfFatal(e);
            slot.lock.lock();
            try {
                if (slot.restartToken == token && slot.attempt == null && !slot.removed && RowErrors.undecodable(e)) {
                    log.warn("[{}] the row of {} cannot be decoded when its restart is due: {}", name, slot.key, e.toString());
                    if (slot.becomeInvalid(RowErrors.reason(e))) { // a pass starts it once the row decodes
                        statuses.publish(slot);
                    }
                } else if (slot.restartToken == token && slot.attempt == null && !slot.removed) {
                    slot.consecutive++;
                    Duration delay = slot.restartPolicy.delay(slot.consecutive, nextRandom());
                    log.warn("[{}] cannot read the row of {} to restart it ({}); trying again in {}", name, slot.key,
                            e.toString(), delay);
                    scheduleRestart(slot, delay);
                }
            } finally {
                slot.lock.unlock();
            }
            return;
        }
        lifecycle.whileStartsAllowed(() -> {
            slot.lock.lock();
            try {
                if (slot.restartToken != token || slot.attempt != null || slot.removed || slot.phase() != KeyState.BACKOFF) {
                    return null;
                }
                if (row.isEmpty()) {
                    slots.forget(slot, true);
                } else if (row.get().paused()) {
                    slot.cancelRestart();
                    slot.moveTo(KeyState.PAUSED);
                    statuses.publish(slot);
                } else if (gate.begin(slot, row.get().value(), row.get().revision(), row.get().restartRequests()) == null) {
                    slots.forget(slot, false); // another node owns it now
                }
                return null;
            } finally {
                slot.lock.unlock();
            }
        }, () -> null);
    }

    /**
     * The attempt was stopped to be restarted at once ({@code restart(key)} or an updated row): starts
     * the next attempt with the current row, not counted as a failure and leaving the backoff as it
     * is, and completes the attempt's {@code successor}, if a caller waits for it. A row gone
     * retires the key, a paused row pauses it, a row that cannot be read falls back to a restart
     * after backoff. Runs on the ended attempt's thread; reads the table before taking the lock.
     */
    void restartNow(KeySlot<K, P> slot, ProcessAttempt<K, P> ended) {
        Optional<RowState<P>> row = Optional.empty();
        Throwable unreadable = null;
        if (lifecycle.startsAllowed()) {
            try {
                row = table.row(slot.key);
            } catch (Throwable e) {
                RowErrors.rethrowIfFatal(e);
                unreadable = e;
            }
        }
        Optional<RowState<P>> current = row;
        Throwable failure = unreadable;
        CompletableFuture<ProcessAttempt<K, P>> successor = ended.successor;
        Object outcome = lifecycle.whileStartsAllowed(() -> {
            slot.lock.lock();
            try {
                return restartUnderLock(slot, ended, current, failure);
            } finally {
                slot.lock.unlock();
            }
        }, () -> {
            slot.lock.lock();
            try {
                slot.deciding = false; // closing: the key stays STOPPED
            } finally {
                slot.lock.unlock();
            }
            return new NotRunningException("supervisor " + name + " is closing; not restarting " + slot.key);
        });
        if (successor != null) {
            if (outcome instanceof ProcessAttempt<?, ?>) {
                @SuppressWarnings("unchecked")
                ProcessAttempt<K, P> next = (ProcessAttempt<K, P>) outcome;
                successor.complete(next);
            } else {
                successor.completeExceptionally((RuntimeException) outcome);
            }
        }
    }

    /** The next attempt, or the exception that says why there is none. Caller holds the lifecycle read lock and the slot's lock. */
    private Object restartUnderLock(KeySlot<K, P> slot, ProcessAttempt<K, P> ended, Optional<RowState<P>> row,
            Throwable unreadable) {
        K key = slot.key;
        if (slot.removed || slot.attempt != null || !slot.deciding) {
            // someone acted meanwhile: a start (whose attempt is the successor), a retirement or a reset
            return slot.attempt != null && !slot.removed ? slot.attempt
                    : new SupervisorException("the restart of " + key + " was overtaken by another change");
        }
        slot.deciding = false;
        if (unreadable != null) {
            RestartPolicy policy = policies.apply(key, ended.process);
            slot.restartPolicy = policy;
            Duration delay = policy.delay(Math.max(1, slot.consecutive), nextRandom());
            log.warn("[{}] cannot read the row of {} to restart it ({}); trying again in {}", name, key, unreadable.toString(),
                    delay);
            scheduleRestart(slot, delay);
            return new SupervisorException("cannot read the row of " + key + " to restart it: " + unreadable, unreadable);
        }
        if (row.isEmpty()) {
            slots.forget(slot, true);
            return new ProcessNotFoundException(key, "the row of " + key + " was deleted; not restarting it");
        }
        if (row.get().paused()) {
            slot.moveTo(KeyState.PAUSED);
            statuses.publish(slot);
            return new SupervisorException("key " + key + " is paused; not restarting it");
        }
        ProcessAttempt<K, P> next = gate.begin(slot, row.get().value(), row.get().revision(), row.get().restartRequests());
        if (next == null) {
            slots.forget(slot, false);
            return new SupervisorException("key " + key + " is owned by another node now; not restarting it here");
        }
        return next;
    }

    private boolean stillPending(KeySlot<K, P> slot, long token) {
        slot.lock.lock();
        try {
            return slot.restartToken == token && slot.attempt == null && !slot.removed && slot.phase() == KeyState.BACKOFF;
        } finally {
            slot.lock.unlock();
        }
    }
}
