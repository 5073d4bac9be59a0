package dev.supervisor.internal;

import dev.supervisor.Clock;
import dev.supervisor.NotRunningException;
import dev.supervisor.ProcessNotFoundException;
import dev.supervisor.KeyState;
import dev.supervisor.ProcessExit;
import dev.supervisor.ProcessStartException;
import dev.supervisor.ProcessState;
import dev.supervisor.Runner;
import dev.supervisor.SupervisorException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each attempt's life: begin (its thread and start timer), ready, start timeout, stop requests,
 * forced stops, and the exit's classification. Owns the supervisor's threads and every
 * per-attempt timer. {@link ProcessAttempt} reports to it through {@link AttemptEvents}; it hands
 * an exit on to the {@link ExitHandler}, and statuses to the {@link StatusPublisher}. It never
 * reads the table and never asks the ownership; the one write it makes is a self-retiring
 * process's delete, through the {@link DeleteBatcher}.
 *
 * <p>Concurrency: every method that changes an attempt or its slot runs under the slot's lock
 * (taken here, or held by the caller where said); timers fire on the clock's thread and take the
 * lock themselves. The runner's thread holds no lock while it runs, and {@link #ended} calls the
 * exit handler after releasing the lock.
 */
final class Attempts<K, P extends Runner> implements AttemptEvents<K, P> {
    private static final Logger log = LoggerFactory.getLogger(Attempts.class);

    private final String name;
    private final Clock clock;
    private final Optional<Duration> startTimeout;
    private final Duration stopTimeout;
    private final ThreadTracker threads = new ThreadTracker();
    private final KeySlots<K, P> slots;
    private final StatusPublisher<K> statuses;
    private final ExitHandler<K, P> exits;
    private final DeleteBatcher<K> deletes;

    Attempts(String name, Clock clock, Optional<Duration> startTimeout, Duration stopTimeout, KeySlots<K, P> slots,
            StatusPublisher<K> statuses, ExitHandler<K, P> exits, DeleteBatcher<K> deletes) {
        this.deletes = deletes;
        this.name = name;
        this.clock = clock;
        this.startTimeout = startTimeout;
        this.stopTimeout = stopTimeout;
        this.slots = slots;
        this.statuses = statuses;
        this.exits = exits;
    }

    /** The supervisor's threads: attempts, restart checks and the reconcile loop. */
    ThreadTracker threads() {
        return threads;
    }

    /** Creates and starts an attempt. Caller holds the lifecycle read lock (starts allowed) and the slot's lock. */
    ProcessAttempt<K, P> begin(KeySlot<K, P> slot, P value, OptionalLong revision, long epoch) {
        slot.cancelRestart();
        slot.deciding = false;
        slot.heldByGroup = false;
        slot.attempts++;
        if (slot.attempts > 1) {
            slot.restarts++;
        }
        ProcessAttempt<K, P> attempt = new ProcessAttempt<>(this, slot, value, slot.attempts, epoch,
                Optional.ofNullable(slot.lastExit), clock);
        slot.startFrom(revision);
        slot.attempt = attempt;
        slot.startedAt = clock.now();
        slot.runningSince = null;
        slot.moveTo(KeyState.STARTING);
        statuses.publish(slot);
        log.debug("[{}] starting {} (attempt {})", name, slot.key, attempt.number);
        attempt.thread = threads.start(name + "-" + slot.key, attempt::run);
        startTimeout.ifPresent(timeout -> {
            attempt.startTimer = clock.after(timeout);
            attempt.startTimer.thenRun(() -> startTimedOut(attempt, timeout));
        });
        return attempt;
    }

    @Override
    public void ready(ProcessAttempt<K, P> attempt) {
        KeySlot<K, P> slot = attempt.slot;
        slot.lock.lock();
        try {
            if (slot.attempt != attempt || attempt.state != ProcessState.STARTING || attempt.stopSignal.isDone()) {
                return; // repeated, or too late: the start was cancelled or timed out
            }
            attempt.transition(ProcessState.STARTING, ProcessState.RUNNING);
            if (attempt.startTimer != null) {
                attempt.startTimer.cancel(false);
            }
            slot.runningSince = clock.now();
            slot.moveTo(KeyState.RUNNING);
            statuses.publish(slot);
        } finally {
            slot.lock.unlock();
        }
        log.debug("[{}] {} is running (attempt {})", name, slot.key, attempt.number);
        attempt.started.complete(attempt.process);
    }

    private void startTimedOut(ProcessAttempt<K, P> attempt, Duration timeout) {
        KeySlot<K, P> slot = attempt.slot;
        slot.lock.lock();
        try {
            if (slot.attempt != attempt || attempt.state != ProcessState.STARTING || attempt.stopSignal.isDone()) {
                return;
            }
            attempt.startFailure = new ProcessStartException(slot.key,
                    "process " + slot.key + " did not become ready within the start timeout " + timeout, null);
            attempt.stopSignal.complete(null);
            attempt.interrupt();
        } finally {
            slot.lock.unlock();
        }
        log.warn("[{}] {} did not become ready within {}; interrupting it", name, slot.key, timeout);
        attempt.started.completeExceptionally(attempt.startFailure);
    }

    /** Asks attempt to stop, interrupting it after the stop timeout. Caller holds the slot's lock. Never waits. */
    void requestStop(ProcessAttempt<K, P> attempt, StopReason reason) {
        requestStop(attempt, reason, true);
    }

    /**
     * Asks attempt to stop. With {@code ownDeadline} false the caller enforces the stop timeout
     * itself. Caller holds the slot's lock. Never waits.
     */
    void requestStop(ProcessAttempt<K, P> attempt, StopReason reason, boolean ownDeadline) {
        noteRetiredItself(attempt, reason);
        attempt.stopReason = reason.strongest(attempt.stopReason);
        if (attempt.stopSignal.isDone()) {
            return;
        }
        KeySlot<K, P> slot = attempt.slot;
        if (attempt.state == ProcessState.STARTING || attempt.state == ProcessState.RUNNING) {
            reason.announcement().ifPresent(why -> log.info("[{}] stopping {} (attempt {}): {}", name, slot.key, attempt.number, why));
        }
        switch (attempt.state) {
            case STARTING -> {
                log.debug("[{}] {} stopped while starting ({}): interrupting it", name, slot.key, reason);
                attempt.stopSignal.complete(null);
                attempt.interrupt();
                attempt.started.completeExceptionally(new ProcessStartException(slot.key,
                        "process " + slot.key + " was stopped while starting (" + reason + ")", null));
            }
            case RUNNING -> {
                attempt.transition(ProcessState.RUNNING, ProcessState.STOPPING);
                slot.moveTo(KeyState.STOPPING);
                statuses.publish(slot);
                // Only now may the process see its stop: whoever it tells already reads STOPPING.
                attempt.stopSignal.complete(null);
                Duration grace = stopTimeout;
                if (grace.isZero()) {
                    attempt.interrupt();
                } else if (ownDeadline) {
                    attempt.forceTimer = clock.after(grace);
                    attempt.forceTimer.thenRun(() -> forceStop(attempt, grace));
                }
            }
            case STOPPING, STOPPED -> attempt.stopSignal.complete(null); // ending already
        }
    }

    /**
     * Asks attempt to stop and be followed at once by a new attempt ({@code reason} restarts);
     * returns the future of that next attempt, shared by concurrent restarts of the same attempt.
     * If a stronger stop (pause, retirement, closing) is already asked for, returns a failed
     * future and changes nothing. Caller holds the slot's lock; attempt is the slot's attempt.
     */
    CompletableFuture<ProcessAttempt<K, P>> requestRestart(ProcessAttempt<K, P> attempt, StopReason reason) {
        noteRetiredItself(attempt, reason);
        StopReason effective = reason.strongest(attempt.stopReason);
        if (!effective.restarts()) {
            return CompletableFuture.failedFuture(notRestarted(attempt.slot.key, effective));
        }
        if (attempt.successor == null) {
            attempt.successor = new CompletableFuture<>();
        }
        requestStop(attempt, reason);
        return attempt.successor;
    }

    /** Why a restart asked for was not done: the stronger stop that overtook it. */
    private RuntimeException notRestarted(K key, StopReason reason) {
        return switch (reason) {
            case RETIRE, RETIRED_ITSELF -> new ProcessNotFoundException(key, "the row of " + key + " was deleted; not restarting it");
            case CLOSE -> new NotRunningException("supervisor " + name + " is closing; not restarting " + key);
            case LOST -> new SupervisorException("key " + key + " is owned by another node now; not restarting it here");
            case PAUSE -> new SupervisorException("key " + key + " is being paused; not restarting it");
            case GROUP -> new SupervisorException("key " + key + " is being restarted with its group; not restarting it alone");
            case MANUAL, RESTART, UPDATE -> new IllegalStateException("a restart is not overtaken by " + reason);
        };
    }

    /** Interrupts attempt unless it has ended; {@code grace} is what it was given, for the log. Takes the slot's lock. */
    void forceStop(ProcessAttempt<K, P> attempt, Duration grace) {
        KeySlot<K, P> slot = attempt.slot;
        slot.lock.lock();
        try {
            if (attempt.state == ProcessState.STOPPED) {
                return;
            }
            attempt.interrupt();
        } finally {
            slot.lock.unlock();
        }
        log.warn("[{}] {} did not stop within {}; interrupted it", name, slot.key, grace);
    }

    /**
     * Called on the attempt's own thread once its runner returned or threw: records the exit,
     * frees the slot, and hands an exit nobody asked for to the {@link ExitHandler}.
     */
    @Override
    public void ended(ProcessAttempt<K, P> attempt, Throwable error) {
        KeySlot<K, P> slot = attempt.slot;
        ProcessExit exit;
        boolean decide = false;
        boolean restart = false;
        boolean recheck = false;
        CompletableFuture<ProcessAttempt<K, P>> successor;
        slot.lock.lock();
        try {
            exit = ExitClassifier.exitOf(attempt, error, clock.now());
            attempt.cancelTimers();
            attempt.transition(attempt.state, ProcessState.STOPPED);
            slot.attempt = null;
            slot.lastExit = exit;
            slot.runningSince = null;
            StopReason reason = attempt.stopReason;
            successor = attempt.successor;
            if (reason == StopReason.RETIRED_ITSELF) {
                slots.forget(slot, true);
                recheck = attempt.recheck;
            } else if (reason == StopReason.RETIRE || reason == StopReason.LOST) {
                slots.forget(slot, reason == StopReason.RETIRE);
            } else if (reason == StopReason.PAUSE) {
                slot.moveTo(KeyState.STOPPED);
                statuses.publish(slot);
                slot.moveTo(KeyState.PAUSED);
                statuses.publish(slot);
            } else if (reason == StopReason.GROUP) {
                slot.moveTo(KeyState.STOPPED);
                slot.deciding = slot.heldByGroup; // held: its group's round starts it; released meanwhile (it left the group): a pass
                statuses.publish(slot);
            } else if (reason != null && reason.restarts()) {
                slot.moveTo(KeyState.STOPPED);
                slot.deciding = true; // no pass starts it: the restart below does
                restart = true;
                statuses.publish(slot);
            } else {
                slot.moveTo(KeyState.STOPPED);
                decide = reason == null;
                slot.deciding = decide;
                statuses.publish(slot);
            }
        } finally {
            slot.lock.unlock();
        }
        ExitClassifier.logExit(name, slot.key, exit);
        if (!attempt.started.isDone()) {
            Throwable cause = exit.error().orElse(null);
            attempt.started.completeExceptionally(cause instanceof ProcessStartException failed ? failed
                    : new ProcessStartException(slot.key, "process " + slot.key + " failed before ready(): " + cause, cause));
        }
        attempt.ended.complete(null);
        if (successor != null && !restart) {
            successor.completeExceptionally(notRestarted(slot.key, attempt.stopReason));
        }
        if (restart) {
            exits.restartRequested(slot, attempt);
        } else if (decide) {
            exits.endedOnItsOwn(slot, attempt, exit);
        } else if (attempt.stopReason == StopReason.RETIRE || recheck) {
            exits.retiredEnded(slot.key);
        }
    }

    /**
     * The runner asked to retire: deletes the key's row (batched with other retiring processes),
     * then asks the attempt to stop with {@link StopReason#RETIRED_ITSELF}, without a deadline
     * (it is expected to return; it is not interrupted). If the attempt has ended meanwhile, asks
     * for a check of the key instead, since the table need not signal this delete.
     */
    @Override
    public void retire(ProcessAttempt<K, P> attempt) {
        KeySlot<K, P> slot = attempt.slot;
        deletes.delete(slot.key);
        boolean ended;
        slot.lock.lock();
        try {
            ended = slot.attempt != attempt || attempt.state == ProcessState.STOPPED;
            if (!ended) {
                StopReason before = attempt.stopReason;
                attempt.stopReason = StopReason.RETIRED_ITSELF.strongest(before);
                if (attempt.state == ProcessState.RUNNING) {
                    attempt.transition(ProcessState.RUNNING, ProcessState.STOPPING);
                    slot.moveTo(KeyState.STOPPING);
                    statuses.publish(slot);
                }
                attempt.stopSignal.complete(null); // STARTING: no interrupt, the runner asked; its exit is CANCELLED
            }
        } finally {
            slot.lock.unlock();
        }
        if (ended) {
            exits.retiredEnded(slot.key);
        }
    }

    /**
     * Key's row was seen: if its attempt retired itself, the row may have come back, so the key is
     * checked again once the attempt ends. True if the attempt retired itself (nothing else to do now).
     * Takes the slot's lock.
     */
    boolean rowSeenWhileRetiring(KeySlot<K, P> slot) {
        slot.lock.lock();
        try {
            ProcessAttempt<K, P> attempt = slot.attempt;
            if (attempt != null && attempt.stopReason == StopReason.RETIRED_ITSELF) {
                attempt.recheck = true;
                return true;
            }
            return false;
        } finally {
            slot.lock.unlock();
        }
    }

    /** True if slot's attempt retired itself: its end retires the key. Takes the slot's lock. */
    boolean retiringItself(KeySlot<K, P> slot) {
        slot.lock.lock();
        try {
            return slot.attempt != null && slot.attempt.stopReason == StopReason.RETIRED_ITSELF;
        } finally {
            slot.lock.unlock();
        }
    }

    /**
     * A stop or restart asked for after the attempt retired itself (a row update, a manual stop):
     * its row may be back, so the key is checked when the attempt ends. Caller holds the slot's lock.
     */
    private static void noteRetiredItself(ProcessAttempt<?, ?> attempt, StopReason reason) {
        if (attempt.stopReason == StopReason.RETIRED_ITSELF && reason != StopReason.RETIRED_ITSELF) {
            attempt.recheck = true;
        }
    }

    /**
     * Interrupts attempt after {@code grace} (at once if it is zero), whatever deadline an earlier
     * stop armed. Caller holds the slot's lock.
     */
    void forceWithin(ProcessAttempt<K, P> attempt, Duration grace) {
        if (attempt.state == ProcessState.STOPPED) {
            return;
        }
        if (grace.isZero() || grace.isNegative()) {
            attempt.interrupt();
            return;
        }
        CompletableFuture<Void> timer = clock.after(grace);
        attempt.addForceTimer(timer);
        timer.thenRun(() -> forceStop(attempt, grace));
    }

    /**
     * The supervisor is closing: asks every attempt to stop, running {@code underLock} first on
     * each slot (under its lock), interrupts those still alive after the stop timeout, and waits
     * until every attempt and every thread of the supervisor has ended.
     */
    void stopAll(Consumer<KeySlot<K, P>> underLock) {
        List<ProcessAttempt<K, P>> stopping = new ArrayList<>();
        for (KeySlot<K, P> slot : slots.all()) {
            slot.lock.lock();
            try {
                underLock.accept(slot);
                ProcessAttempt<K, P> attempt = slot.attempt;
                if (attempt != null) {
                    requestStop(attempt, StopReason.CLOSE, false);
                    stopping.add(attempt);
                }
            } finally {
                slot.lock.unlock();
            }
        }
        // One deadline for all of them: a timer per process would cost more than the stop itself.
        CompletableFuture<Void> deadline = clock.after(stopTimeout);
        deadline.thenRun(() -> stopping.forEach(attempt -> forceStop(attempt, stopTimeout)));
        CompletableFuture.allOf(stopping.stream().map(a -> a.ended).toArray(CompletableFuture[]::new)).join();
        deadline.cancel(false);
        threads.awaitAll();
    }

    /**
     * Waits until attempt is RUNNING and returns its process.
     *
     * @throws ProcessStartException naming the key if it failed to start, or the wait was interrupted (kept)
     */
    P awaitStarted(ProcessAttempt<K, P> attempt) {
        K key = attempt.slot.key;
        try {
            return attempt.started.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProcessStartException failed) {
                throw new ProcessStartException(key, failed.getMessage(), failed.getCause());
            }
            throw new ProcessStartException(key, "process " + key + " failed to start: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessStartException(key, "interrupted while waiting for " + key + " to start; it goes on starting", e);
        }
    }

    /**
     * Waits until attempt has ended; returns at once when called from the attempt's own thread (a
     * process stopping itself cannot wait for its own end).
     *
     * @throws SupervisorException if the wait was interrupted (the interrupt is kept)
     */
    void awaitEnded(ProcessAttempt<K, P> attempt) {
        if (attempt.thread == Thread.currentThread()) {
            return;
        }
        try {
            attempt.ended.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SupervisorException("interrupted while waiting for " + attempt.slot.key + " to stop; it goes on stopping", e);
        } catch (ExecutionException e) {
            throw new AssertionError("the end signal never fails", e);
        }
    }
}
