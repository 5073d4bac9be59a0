package dev.supervisor.internal;

import dev.supervisor.GroupMembership;
import dev.supervisor.KeyState;
import dev.supervisor.ProcessExit;
import dev.supervisor.ProcessStatus;
import dev.supervisor.RestartPolicy;
import dev.supervisor.Runner;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the supervisor knows about one key: its live attempt, if any, and its restart
 * bookkeeping.
 *
 * <p>Concurrency: a slot lives in the map of {@link KeySlots} from its first start until it is retired;
 * {@link #removed} is set, under {@link #lock}, exactly when it leaves the map, and a removed slot
 * is never used again (callers that find it removed look the key up afresh). The attempt field
 * is non-null from the moment an attempt is created until its thread has ended, and only a slot
 * whose attempt is null can be removed: so for one key there is at most one attempt alive,
 * across slots too. All mutable fields are guarded by {@link #lock}; {@link #attempt} and
 * {@link #status} are also volatile so that {@code get}, {@code keys} and {@code status} read
 * them without locking. Nothing blocking happens while the lock is held.
 */
final class KeySlot<K, P extends Runner> {
    private static final Logger log = LoggerFactory.getLogger(KeySlot.class);

    final K key;
    final ReentrantLock lock = new ReentrantLock();
    /** The pass generation current when the slot was created; a pass never sweeps slots born during it. */
    final long bornInPass;
    /**
     * The latest pass generation that saw this key's row (one below {@link #bornInPass} until a
     * pass sees it); read and written only by the thread that runs passes, see {@link #markSeen}.
     */
    private long seenInPass;

    volatile ProcessAttempt<K, P> attempt;
    volatile ProcessStatus<K> status;
    /**
     * The revision of the row the latest attempt started from, if {@link #attemptHasRevision};
     * written under the lock before the attempt is published (see {@link #startFrom}), volatile so
     * that a pass may glance at it without the lock. Kept here, not in the attempt, so that a pass
     * over a running key whose row did not change reads this slot only.
     */
    private volatile long attemptRevision;
    /** False when the table reported no revision: the key's row is then never found changed or unchanged. */
    private volatile boolean attemptHasRevision;

    /** Written only by {@link #moveTo}; volatile so that a pass may glance at it without the lock. */
    private volatile KeyState phase = KeyState.STOPPED;
    boolean removed;
    /** The latest attempt ended on its own and its next step waits for a row check. */
    boolean deciding;
    int attempts;
    int restarts;
    /** Consecutive restarts since the last reset of the backoff (the n of the backoff schedule). */
    int consecutive;
    /** Startup failures in a row (see {@link RestartPolicy#startupFailures}). */
    int startupFailures;
    private RestartWindow failures;
    /** The key's group as last read from its row (a pass, a key check or a start); null without one. */
    volatile GroupMembership membership;
    /** Stopped (or left stopped) by its group's coordinator, which starts it again or gives it up; {@link #deciding} too. */
    boolean heldByGroup;
    Instant startedAt;
    Instant runningSince;
    Instant nextAttemptAt;
    ProcessExit lastExit;
    /** Why the row cannot be decoded; shown while the key is {@link KeyState#INVALID}. */
    String invalidReason;
    CompletableFuture<Void> restartTimer;
    /** The policy that scheduled the pending restart, for retries when the row cannot be read then. */
    RestartPolicy restartPolicy;
    /** Identifies the pending restart; a restart that finds another token was superseded. */
    long restartToken;
    /**
     * The restart-request counter of the row the latest attempt started from ({@link RestartRequests});
     * {@link RestartRequests#UNSEEN} before the first.
     */
    volatile long restartRequests = RestartRequests.UNSEEN;

    KeySlot(K key, long bornInPass) {
        this.key = key;
        this.bornInPass = bornInPass;
        this.seenInPass = bornInPass - 1;
    }

    /**
     * Records that the pass of {@code generation} saw this key's row; true the first time for
     * that pass. Pass thread only: a plain field, since a volatile write per row would wait for
     * the slot's cache line on every row of a pass.
     */
    boolean markSeen(long generation) {
        if (seenInPass == generation) {
            return false;
        }
        seenInPass = generation;
        return true;
    }

    /** True if the pass of {@code generation} may retire this key: the slot is older and that pass did not see its row. Pass thread only. */
    boolean unseenIn(long generation) {
        return bornInPass < generation && seenInPass < generation;
    }

    /** Records the revision of the row the attempt about to be published starts from. Caller holds the lock. */
    void startFrom(OptionalLong revision) {
        attemptHasRevision = revision.isPresent();
        attemptRevision = revision.orElse(0);
    }

    /** The revision of the row the latest attempt started from; empty when the table reported none. */
    OptionalLong startRevision() {
        return attemptHasRevision ? OptionalLong.of(attemptRevision) : OptionalLong.empty();
    }

    /**
     * True if the latest attempt started from a row whose revision is {@code now} (both known): a
     * row read unchanged. A glance without the lock is fine: an attempt begun since the caller read
     * {@link #attempt} started from the newer row, which is then the one compared.
     */
    boolean startedFrom(OptionalLong now) {
        return attemptHasRevision && now.isPresent() && attemptRevision == now.getAsLong();
    }

    /** True if the latest attempt started from a row with another revision than {@code now} (both known): an updated row. */
    boolean rowChangedSinceStart(OptionalLong now) {
        return attemptHasRevision && now.isPresent() && attemptRevision != now.getAsLong();
    }

    /** What the supervisor is doing about the key now. */
    KeyState phase() {
        return phase;
    }

    /**
     * The one place where the key's state moves, checked against {@link KeyState#canBecome}: an
     * impossible move throws {@link StateGraph.Violation} with assertions enabled and is logged
     * otherwise. Caller holds the lock.
     */
    void moveTo(KeyState next) {
        KeyState from = phase;
        StateGraph.check(from.canBecome(next), log, () -> "key " + key + ": " + from + " -> " + next);
        phase = next;
    }

    /**
     * No process, nothing pending: a pass may start this key (a paused one once its row is resumed,
     * an invalid one once its row decodes). Caller holds the lock.
     */
    boolean idleForPass() {
        return attempt == null && !deciding && !removed && idleOrPaused();
    }

    /** STOPPED, PAUSED or INVALID: the states a pass starts a key from (a glance without the lock, asked again under it). */
    boolean idleOrPaused() {
        KeyState now = phase;
        return now == KeyState.STOPPED || now == KeyState.PAUSED || now == KeyState.INVALID;
    }

    /** Created but never used: safe to drop. Caller holds the lock. */
    boolean vacant() {
        return attempt == null && attempts == 0 && !deciding && phase == KeyState.STOPPED;
    }

    /** Records a failure at {@code at} and returns how many fell within {@code window} up to it. Caller holds the lock. */
    int recordFailure(Instant at, Duration window) {
        if (failures == null) {
            failures = new RestartWindow();
        }
        return failures.record(at, window);
    }

    /** Forgets the failure history and the backoff position. Caller holds the lock. */
    void resetHistory() {
        failures = null;
        startupFailures = 0;
        resetBackoff();
    }

    /** Starts the backoff sequence again at its initial delay; failures stay counted in their window. Caller holds the lock. */
    void resetBackoff() {
        consecutive = 0;
    }

    /** Cancels a pending restart, if any. Caller holds the lock. */
    void cancelRestart() {
        if (restartTimer != null) {
            restartTimer.cancel(false);
            restartTimer = null;
        }
        nextAttemptAt = null;
        restartToken++;
    }

    /**
     * The key's row cannot be decoded: drops a pending restart and moves to {@link KeyState#INVALID}
     * with {@code reason}. False, changing nothing, if a process exists or its exit is being decided
     * (a running process keeps the value it started from), or if the key is already INVALID for
     * the same reason. Caller holds the lock and publishes the status when true.
     */
    boolean becomeInvalid(String reason) {
        if (attempt != null || deciding || removed || phase.hasProcess()
                || (phase == KeyState.INVALID && reason.equals(invalidReason))) {
            return false;
        }
        cancelRestart();
        invalidReason = reason;
        moveTo(KeyState.INVALID);
        return true;
    }

    /** Builds and stores the current snapshot. Caller holds the lock. */
    ProcessStatus<K> snapshot() {
        ProcessStatus<K> next = new ProcessStatus<>(key, phase, attempts, restarts, Optional.ofNullable(startedAt),
                Optional.ofNullable(runningSince), Optional.ofNullable(nextAttemptAt), Optional.ofNullable(lastExit),
                phase == KeyState.INVALID ? Optional.of(invalidReason) : Optional.empty());
        status = next;
        return next;
    }

    @Override
    public String toString() {
        return "KeySlot[" + key + " " + phase + ", attempt " + attempts + "]";
    }
}
