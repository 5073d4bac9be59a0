package dev.supervisor.internal;

import dev.supervisor.ChangeListener;
import dev.supervisor.Clock;
import dev.supervisor.Cursor;
import dev.supervisor.KeyState;
import dev.supervisor.NotRunningException;
import dev.supervisor.Ownership;
import dev.supervisor.PassReport;
import dev.supervisor.ProcessExistsException;
import dev.supervisor.ProcessExit;
import dev.supervisor.ProcessNotFoundException;
import dev.supervisor.ProcessNotRunningException;
import dev.supervisor.ProcessStartException;
import dev.supervisor.ProcessState;
import dev.supervisor.ProcessStatus;
import dev.supervisor.RestartPolicy;
import dev.supervisor.Runner;
import dev.supervisor.Subscription;
import dev.supervisor.SupervisorException;
import dev.supervisor.Table;
import dev.supervisor.TableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor's engine; {@code dev.supervisor.Supervisor} is its public face.
 *
 * <p>Concurrency:
 * <ul>
 *   <li>Per key, one {@link KeySlot} with its own lock holds the live attempt; see its javadoc for
 *       why at most one attempt per key is ever alive.
 *   <li>Every start path takes the lifecycle read lock, checks that starts are allowed, and only
 *       then locks the slot and creates the attempt; {@code close()} flips the lifecycle under
 *       the write lock. So once {@code close()} has flipped it, no attempt can be created, and
 *       every attempt created before is in the map for {@code close()} to stop. Lock order:
 *       lifecycle, then slot; never the other way.
 *   <li>No lock is held across I/O (table reads) or across waiting for a process. Table reads
 *       happen first, then the slot is locked and the state re-checked.
 *   <li>Listener events are enqueued under the slot lock (keeping each key's order) and
 *       delivered on the listeners' own threads.
 * </ul>
 */
public final class Engine<K, P extends Runner> {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);

    private final SupervisorConfig<K, P> config;
    private final String name;
    private final Table<K, P> table;
    private final Clock clock;
    private final Ownership<K> ownership;
    private final KeySlots<K, P> slots;
    private final StatusPublisher<K> statuses;
    private final Lifecycle lifecycle;
    private volatile PassReport<K> lastPass;
    private final Attempts<K, P> attempts;
    private final OwnershipGate<K, P> gate;
    private final RestartScheduler<K, P> restarts;
    private final ListenerDispatcher<K> events;
    private final ReconcileLoop<K> loop;
    private volatile Subscription subscription = Subscription.NONE;

    public Engine(SupervisorConfig<K, P> config) {
        this.config = config;
        this.name = config.name();
        this.table = config.table();
        this.clock = config.clock();
        this.ownership = config.ownership();
        this.lifecycle = new Lifecycle(name);
        this.events = new ListenerDispatcher<>(name, config.listeners());
        this.statuses = new StatusPublisher<>(events);
        this.slots = new KeySlots<>(name, statuses, ownership);
        this.attempts = new Attempts<>(name, clock, config.startTimeout(), config.stopTimeout(), slots, statuses, new Exits());
        this.gate = new OwnershipGate<>(name, ownership, slots, attempts, config.stopTimeout());
        this.restarts = new RestartScheduler<>(name, table, clock, lifecycle, slots, statuses, gate, attempts.threads(),
                config::policyFor, config.random());
        this.loop = new ReconcileLoop<>(name, clock, config.reconcileInterval(), () -> runPass(null).complete(), this::reconcileKey);
    }

    public String name() {
        return name;
    }

    // ---------------------------------------------------------------- lifecycle

    public void launch() {
        lifecycle.beginLaunch();
        log.info("[{}] launching: {}", name, config.describe());
        long began = System.nanoTime();
        gate.open(loop::requestKey);
        try {
            subscription = table.subscribe(new TableSignals());
        } catch (RuntimeException e) {
            log.warn("[{}] the table refused a change subscription; changes will be found by periodic passes only", name, e);
        }
        List<ProcessAttempt<K, P>> restored = new ArrayList<>();
        PassReport<K> report = runPass(restored);
        awaitRestored(restored);

        boolean launched = lifecycle.finishLaunch(() -> {
            loop.start(attempts.threads());
            loop.passEnded(report.complete());
        });
        if (!launched) {
            log.info("[{}] closed while launching", name);
            return;
        }
        long running = restored.stream().filter(a -> a.state == ProcessState.RUNNING).count();
        log.info("[{}] launched in {} ms: {} rows, {} processes restored, {} running{}", name,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), report.rowsSeen(), restored.size(), running,
                report.complete() ? "" : "; the first pass failed and will be retried: " + report.failure().get());
    }

    private void awaitRestored(List<ProcessAttempt<K, P>> restored) {
        if (restored.isEmpty()) {
            return;
        }
        CompletableFuture<Void> allStarted = CompletableFuture.allOf(
                restored.stream().map(a -> a.started.handle((p, e) -> null)).toArray(CompletableFuture[]::new));
        if (!awaitWithin(allStarted, config.initialWait())) {
            long pending = restored.stream().filter(a -> a.state == ProcessState.STARTING).count();
            log.info("[{}] {} restored processes still starting after initialWait {}; launch goes on", name, pending,
                    config.initialWait());
        }
    }

    public void close() {
        Lifecycle.State previous = lifecycle.beginClose(() -> {
            if (attempts.threads().isCurrentThreadTracked()) {
                throw new IllegalStateException("supervisor " + name
                        + ": close() called from one of its own processes would wait for itself; call it from another thread");
            }
        });
        switch (previous) {
            case NEW -> {
                // nothing was started
            }
            case CLOSING, CLOSED -> lifecycle.awaitClosed();
            case LAUNCHING, RUNNING -> shutDown();
        }
    }

    private void shutDown() {
        log.info("[{}] closing: stopping {} processes", name, keys().size());
        loop.stop();
        subscription.close();
        List<ProcessAttempt<K, P>> stopping = new ArrayList<>();
        for (KeySlot<K, P> slot : slots.all()) {
            slot.lock.lock();
            try {
                restarts.cancelForClose(slot);
                ProcessAttempt<K, P> attempt = slot.attempt;
                if (attempt != null) {
                    attempts.requestStop(attempt, StopReason.CLOSE, false);
                    stopping.add(attempt);
                }
            } finally {
                slot.lock.unlock();
            }
        }
        // One deadline for all of them: a timer per process would cost more than the stop itself.
        Duration grace = config.stopTimeout();
        CompletableFuture<Void> deadline = clock.after(grace);
        deadline.thenRun(() -> stopping.forEach(attempt -> attempts.forceStop(attempt, grace)));
        CompletableFuture.allOf(stopping.stream().map(a -> a.ended).toArray(CompletableFuture[]::new)).join();
        deadline.cancel(false);
        attempts.threads().awaitAll();
        gate.close();
        flushListeners();
        lifecycle.finishClose();
        log.info("[{}] closed", name);
    }

    private void flushListeners() {
        if (events.isEmpty()) {
            return;
        }
        if (!awaitWithin(events.flushed(), config.stopTimeout())) {
            log.warn("[{}] listeners did not take their last events within {}; closing without them", name, config.stopTimeout());
        }
    }

    /**
     * Waits until {@code future} completes or {@code bound} passes on the clock, whichever is
     * first; true if it completed. An interrupt ends the wait early and is kept.
     */
    private boolean awaitWithin(CompletableFuture<?> future, Duration bound) {
        CompletableFuture<Void> deadline = clock.after(bound);
        try {
            CompletableFuture.anyOf(future, deadline).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // the future failed: it is done, which is all this wait is about
        } finally {
            deadline.cancel(false);
        }
        return future.isDone();
    }

    /** True once launch() has returned normally and until close() begins. */
    public boolean isLaunched() {
        return lifecycle.state() == Lifecycle.State.RUNNING;
    }

    /** The newest full pass's report, or empty before the first pass ended. */
    public Optional<PassReport<K>> lastPass() {
        return Optional.ofNullable(lastPass);
    }

    private boolean startsAllowed() {
        return lifecycle.startsAllowed();
    }

    // ---------------------------------------------------------------- public operations

    public P start(K key) {
        if (!startsAllowed()) {
            throw lifecycle.notRunning("start " + key);
        }
        P value = table.get(key).orElseThrow(() -> new ProcessNotFoundException(key, "no row for key " + key + " in the table"));
        ProcessAttempt<K, P> attempt = lifecycle.whileStartsAllowed(() -> slots.withSlot(key, slot -> {
            ProcessAttempt<K, P> live = slot.attempt;
            if (live != null) {
                throw new ProcessExistsException(key, "a process for key " + key + " already exists (" + live.state + ")");
            }
            ProcessAttempt<K, P> begun = gate.begin(slot, value);
            if (begun == null) {
                throw new SupervisorException("key " + key + " is owned by another node");
            }
            return begun;
        }), () -> {
            throw lifecycle.notRunning("start " + key);
        });
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

    public void stop(K key) {
        KeySlot<K, P> slot = slots.get(key);
        ProcessAttempt<K, P> attempt = slot == null ? null : slot.attempt;
        if (attempt == null) {
            throw new ProcessNotFoundException(key, "no process for key " + key);
        }
        slot.lock.lock();
        try {
            if (slot.attempt != attempt) {
                attempt = slot.attempt;
                if (attempt == null) {
                    throw new ProcessNotFoundException(key, "no process for key " + key);
                }
            }
            attempts.requestStop(attempt, StopReason.MANUAL);
        } finally {
            slot.lock.unlock();
        }
        if (attempt.thread == Thread.currentThread()) {
            return; // a process stopping itself cannot wait for its own end
        }
        try {
            attempt.ended.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SupervisorException("interrupted while waiting for " + key + " to stop; it goes on stopping", e);
        } catch (ExecutionException e) {
            throw new AssertionError("the end signal never fails", e);
        }
    }

    public P get(K key) {
        KeySlot<K, P> slot = slots.get(key);
        ProcessAttempt<K, P> attempt = slot == null ? null : slot.attempt;
        if (attempt == null) {
            throw new ProcessNotFoundException(key, "no process for key " + key);
        }
        ProcessState state = attempt.state;
        if (state != ProcessState.RUNNING) {
            throw new ProcessNotRunningException(key, "the process for key " + key + " is " + state + ", not RUNNING");
        }
        return attempt.process;
    }

    public Set<K> keys() {
        return slots.keys();
    }

    public Optional<ProcessStatus<K>> status(K key) {
        return slots.status(key);
    }

    public Map<K, ProcessStatus<K>> statuses() {
        return slots.statuses();
    }

    public void reset(K key) {
        KeySlot<K, P> slot = slots.get(key);
        if (slot == null) {
            throw new ProcessNotFoundException(key, "the supervisor knows nothing of key " + key);
        }
        slot.lock.lock();
        try {
            restarts.reset(slot);
        } finally {
            slot.lock.unlock();
        }
        loop.requestKey(key);
    }

    public void requestPass() {
        loop.requestPass();
    }

        /** The row of slot's key is gone: stop its process, or forget it if it has none. */
    private boolean retire(KeySlot<K, P> slot) {
        slot.lock.lock();
        try {
            if (slot.removed) {
                return false;
            }
            ProcessAttempt<K, P> attempt = slot.attempt;
            if (attempt != null) {
                attempts.requestStop(attempt, StopReason.RETIRE);
            } else if (!slot.deciding) {
                slots.forget(slot, true);
            }
            // deciding: the exit handler reads the row and retires the key itself
            return true;
        } finally {
            slot.lock.unlock();
        }
    }

    // ---------------------------------------------------------------- reconciling

    /** Starts key's process in the background if the key is idle and this node may run it; null if not started. */
    private ProcessAttempt<K, P> startInBackground(K key, P value) {
        return lifecycle.whileStartsAllowed(
                () -> slots.withSlot(key, slot -> slot.idleForPass() ? gate.begin(slot, value) : null), () -> null);
    }

    /**
     * One full pass: start every idle key with a row, then retire processes whose rows are gone.
     * When {@code begun} is given, the attempts started are added to it.
     */
    private PassReport<K> runPass(List<ProcessAttempt<K, P>> begun) {
        long generation = slots.nextGeneration();
        Instant startedAt = clock.now();
        long began = System.nanoTime();
        int seen = 0;
        int started = 0;
        int retired = 0;
        List<PassReport.SkippedRow<K>> skipped = new ArrayList<>();
        Throwable failure = null;
        try (Cursor<K, P> cursor = table.cursor()) {
            while (startsAllowed() && cursor.next()) {
                K key = cursor.key();
                seen++;
                KeySlot<K, P> slot = slots.get(key);
                if (slot != null) {
                    slot.seenInPass = generation;
                    if (slot.attempt != null || slot.phase() != KeyState.STOPPED) {
                        continue;
                    }
                }
                if (!gate.mayRun(key)) {
                    continue; // not ours: do not even decode it (asked again under the key's lock before a start)
                }
                P value;
                try {
                    value = cursor.value();
                } catch (Throwable e) {
                    RowErrors.rethrowIfFatal(e); // anything else fails this row alone
                    skipped.add(new PassReport.SkippedRow<>(key, e));
                    log.warn("[{}] skipping the row of {}: {}", name, key, e instanceof TableException ? e.getMessage() : e.toString());
                    continue;
                }
                ProcessAttempt<K, P> attempt = startInBackground(key, value);
                if (attempt != null) {
                    attempt.slot.seenInPass = generation;
                    started++;
                    if (begun != null) {
                        begun.add(attempt);
                    }
                }
            }
        } catch (Throwable e) {
            RowErrors.rethrowIfFatal(e);
            failure = e;
            log.warn("[{}] reconcile pass failed after {} rows; the next pass will try again: {}", name, seen, e.toString());
        }
        if (failure == null && startsAllowed()) {
            try {
                retired = sweep(generation);
            } catch (RuntimeException e) {
                failure = e;
                log.warn("[{}] retiring processes without rows failed; the next pass will try again: {}", name, e.toString());
            }
        }
        PassReport<K> report = new PassReport<>(startedAt, Duration.ofNanos(System.nanoTime() - began), seen, started,
                retired, skipped, Optional.ofNullable(failure));
        log.debug("[{}] pass: {}", name, report);
        lastPass = report;
        statuses.passCompleted(report);
        return report;
    }

    /** Retires keys the pass did not see, after confirming each with a read of its row. */
    private int sweep(long generation) {
        int retired = 0;
        for (KeySlot<K, P> slot : slots.all()) {
            if (slot.bornInPass >= generation || slot.seenInPass >= generation || !startsAllowed()) {
                continue;
            }
            boolean gone;
            try {
                gone = table.get(slot.key).isEmpty();
            } catch (TableException e) {
                if (e.key() != null) {
                    continue; // the row exists but cannot be decoded: not gone
                }
                throw e;
            } catch (Throwable e) {
                RowErrors.rethrowIfFatal(e);
                continue; // the decoder threw past the table: the row exists, so it is not gone
            }
            if (gone && retire(slot)) {
                retired++;
            }
        }
        return retired;
    }

    /** A signal said key's row changed: start or retire that key alone. */
    private void reconcileKey(K key) {
        Optional<P> row;
        try {
            row = table.get(key);
        } catch (Throwable e) {
            RowErrors.rethrowIfFatal(e);
            log.warn("[{}] cannot read the changed row of {}: {}", name, key, e.toString());
            return;
        }
        KeySlot<K, P> slot = slots.get(key);
        if (row.isEmpty()) {
            if (slot != null) {
                retire(slot);
            }
            return;
        }
        if (slot != null && (slot.attempt != null || slot.phase() != KeyState.STOPPED)) {
            return;
        }
        if (gate.mayRun(key)) {
            startInBackground(key, row.get());
        }
    }

    @Override
    public String toString() {
        return name + " " + lifecycle + ", " + slots.size() + " keys";
    }

    /** Where Attempts hands exits: to the restart decision, or back to the loop for a retired key. */
    private final class Exits implements ExitHandler<K, P> {
        @Override
        public void endedOnItsOwn(KeySlot<K, P> slot, ProcessAttempt<K, P> attempt, ProcessExit exit) {
            restarts.decide(slot, attempt, exit);
        }

        @Override
        public void retiredEnded(K key) {
            if (startsAllowed()) {
                // its row may have come back while it was stopping; the signal for that found it still alive
                loop.requestKey(key);
            }
        }
    }

    /** The table's change signals, turned into loop requests. */
    private final class TableSignals implements ChangeListener<K> {
        @Override
        public void rowChanged(K key) {
            loop.requestKey(key);
        }

        @Override
        public void tableChanged() {
            loop.requestPass();
        }
    }

}
