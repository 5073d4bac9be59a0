package dev.supervisor.internal;

import dev.supervisor.Clock;
import dev.supervisor.ProcessContext;
import dev.supervisor.ProcessExit;
import dev.supervisor.ProcessStartException;
import dev.supervisor.ProcessState;
import dev.supervisor.Runner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One attempt of one key's process, and the {@link ProcessContext} its runner sees.
 *
 * <p>Concurrency: {@link #state}, {@link #stopReason}, {@link #recheck}, {@link #startFailure} and the timers are
 * written only under the slot's lock; {@link #state} is volatile for lock-free reads. The
 * futures are the attempt's signals: {@link #started} completes with the process when it
 * becomes RUNNING or exceptionally when its start fails; {@link #stopSignal} completes when a
 * stop is asked for; {@link #ended} completes after the thread's last touch of the slot.
 */
final class ProcessAttempt<K, P extends Runner> implements ProcessContext {
    private static final Logger log = LoggerFactory.getLogger(ProcessAttempt.class);
    /** The MDC entries of the runner's thread: the key, the attempt number, the epoch (cluster mode). */
    static final String MDC_KEY = "supervisor.key";
    static final String MDC_ATTEMPT = "supervisor.attempt";
    static final String MDC_EPOCH = "supervisor.epoch";

    final KeySlot<K, P> slot;
    final P process;
    final int number;
    final long epoch;
    private final Optional<ProcessExit> previousExit;
    private final Clock clock;
    private final AttemptEvents<K, P> events;

    final CompletableFuture<P> started = new CompletableFuture<>();
    final CompletableFuture<Void> stopSignal = new CompletableFuture<>();
    final CompletableFuture<Void> ended = new CompletableFuture<>();

    volatile ProcessState state = ProcessState.STARTING;
    Thread thread;
    StopReason stopReason;
    ProcessStartException startFailure;
    CompletableFuture<Void> startTimer;
    CompletableFuture<Void> forceTimer;
    /** Created by the first {@code restart(key)} of this attempt: completes with the attempt that follows it, or fails. */
    CompletableFuture<ProcessAttempt<K, P>> successor;
    /**
     * The key's row was seen (or a stop asked for) after this attempt retired itself: the row may
     * have come back, so the key is checked again once the attempt ended.
     */
    boolean recheck;
    /** Sooner forced-stop deadlines asked for after the stop began (an ownership losing the key). */
    private List<CompletableFuture<Void>> extraForceTimers; // rare: created on first use, not per attempt

    ProcessAttempt(AttemptEvents<K, P> events, KeySlot<K, P> slot, P process, int number, long epoch,
            Optional<ProcessExit> previousExit, Clock clock) {
        this.events = events;
        this.slot = slot;
        this.process = process;
        this.number = number;
        this.epoch = epoch;
        this.previousExit = previousExit;
        this.clock = clock;
    }

    /**
     * Moves the attempt from {@code expected} to {@code next}, checked against
     * {@link ProcessState#canBecome}: a move from another state or off the graph throws
     * {@link StateGraph.Violation} with assertions enabled and is logged otherwise. Caller holds
     * the slot's lock.
     */
    void transition(ProcessState expected, ProcessState next) {
        ProcessState from = state;
        StateGraph.check(from == expected && from.canBecome(next), log, () -> "process " + slot.key + " (attempt "
                + number + "): " + expected + " -> " + next + " while " + from);
        state = next;
    }

    /**
     * The runner's thread body. SLF4J's MDC holds {@value #MDC_KEY}, {@value #MDC_ATTEMPT} and, in
     * cluster mode (a non-zero epoch), {@value #MDC_EPOCH} on this thread until the attempt's end is
     * handled, so the runner's own log lines (and the supervisor's about its end) carry them.
     */
    void run() {
        MDC.put(MDC_KEY, String.valueOf(slot.key));
        MDC.put(MDC_ATTEMPT, Integer.toString(number));
        if (epoch != 0) {
            MDC.put(MDC_EPOCH, Long.toString(epoch));
        }
        Throwable error = null;
        try {
            process.run(this);
        } catch (Throwable t) {
            error = t;
        }
        Thread.interrupted(); // a forced stop's interrupt must not leak into the bookkeeping below
        try {
            events.ended(this, error);
        } finally {
            MDC.remove(MDC_KEY);
            MDC.remove(MDC_ATTEMPT);
            MDC.remove(MDC_EPOCH);
        }
        if (error instanceof StateGraph.Violation bug) {
            throw bug; // thrown into the runner by ready(); the thread tracker keeps it for close()
        }
    }

    void interrupt() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Keeps a sooner forced-stop timer, cancelled with the others when the attempt ends. Caller holds the slot's lock. */
    void addForceTimer(CompletableFuture<Void> timer) {
        if (extraForceTimers == null) {
            extraForceTimers = new ArrayList<>(1);
        }
        extraForceTimers.add(timer);
    }

    void cancelTimers() {
        if (startTimer != null) {
            startTimer.cancel(false);
        }
        if (forceTimer != null) {
            forceTimer.cancel(false);
        }
        if (extraForceTimers != null) {
            extraForceTimers.forEach(timer -> timer.cancel(false));
        }
    }

    // ProcessContext

    @Override
    public void ready() {
        events.ready(this);
    }

    @Override
    public void retire() {
        events.retire(this);
    }

    @Override
    public boolean stopRequested() {
        return stopSignal.isDone();
    }

    @Override
    public void awaitStop() throws InterruptedException {
        try {
            stopSignal.get();
        } catch (ExecutionException | CancellationException e) {
            throw new AssertionError("the stop signal never fails", e);
        }
    }

    @Override
    public boolean awaitStop(Duration timeout) throws InterruptedException {
        return clock.awaitWithin(stopSignal, timeout);
    }

    @Override
    public Object key() {
        return slot.key;
    }

    @Override
    public int attempt() {
        return number;
    }

    @Override
    public Optional<ProcessExit> previousExit() {
        return previousExit;
    }

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public String toString() {
        return "process " + slot.key + " attempt " + number + " " + state;
    }
}
