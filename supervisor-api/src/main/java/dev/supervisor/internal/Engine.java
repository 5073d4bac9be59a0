package dev.supervisor.internal;

import dev.supervisor.ChangeListener;
import dev.supervisor.GroupMembership;
import dev.supervisor.GroupStatus;
import dev.supervisor.NotRunningException;
import dev.supervisor.PassReport;
import dev.supervisor.ProcessExistsException;
import dev.supervisor.ProcessExit;
import dev.supervisor.ProcessNotFoundException;
import dev.supervisor.ProcessNotRunningException;
import dev.supervisor.ProcessState;
import dev.supervisor.ProcessStatus;
import dev.supervisor.RowState;
import dev.supervisor.Runner;
import dev.supervisor.Subscription;
import dev.supervisor.SupervisorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor's engine; {@code dev.supervisor.Supervisor} is its public face. It wires the
 * parts (see the package documentation for the class map, the data flow and the lock order) and
 * keeps the public operations: launch, close, start, stop, get, reset and the read-only views.
 */
public final class Engine<K, P extends Runner> {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);

    private final SupervisorConfig<K, P> config;
    private final String name;
    private final Lifecycle lifecycle;
    private final ListenerDispatcher<K> events;
    private final KeySlots<K, P> slots;
    private final Attempts<K, P> attempts;
    private final OwnershipGate<K, P> gate;
    private final RestartScheduler<K, P> restarts;
    private final ReconcilePass<K, P> pass;
    private final ReconcileLoop<K> loop;
    private final GroupCoordinator<K, P> groups;
    private volatile Subscription subscription = Subscription.NONE;

    public Engine(SupervisorConfig<K, P> config) {
        this.config = config;
        this.name = config.name();
        this.lifecycle = new Lifecycle(name);
        this.events = new ListenerDispatcher<>(name, config.listeners());
        StatusPublisher<K> statuses = new StatusPublisher<>(events);
        this.slots = new KeySlots<>(name, statuses, config.ownership());
        this.attempts = new Attempts<>(name, config.clock(), config.startTimeout(), config.stopTimeout(), slots, statuses,
                new Exits(), new DeleteBatcher<>(config.table()::removeAll));
        this.gate = new OwnershipGate<>(name, config.ownership(), slots, attempts, config.stopTimeout());
        this.groups = new GroupCoordinator<>(name, config.table(), config.groups(), lifecycle, slots, statuses,
                attempts.threads());
        groups.wire(gate, attempts);
        slots.onLeaving(groups::forgotten);
        this.restarts = new RestartScheduler<>(name, config.table(), config.clock(), lifecycle, slots, statuses, gate,
                attempts.threads(), config::policyFor, config.random(), groups);
        this.pass = new ReconcilePass<>(name, config.table(), config.clock(), lifecycle, slots, gate, attempts, statuses,
                config.rowUpdates(), groups);
        this.loop = new ReconcileLoop<>(name, config.clock(), config.reconcileInterval(), config.resyncInterval(),
                () -> pass.run(null).complete(), () -> pass.runChanges().complete(), pass::listsChanges,
                pass::reconcileKeys);
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
            subscription = config.table().subscribe(new TableSignals());
        } catch (RuntimeException e) {
            log.warn("[{}] the table refused a change subscription; changes will be found by periodic passes only", name, e);
        }
        List<ProcessAttempt<K, P>> restored = new ArrayList<>();
        PassReport<K> report = pass.run(restored);
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

    /**
     * Waits until every restored attempt has started (or failed to), for at most initialWait: one
     * attempt at a time, in the order they began, each wait bounded by one shared deadline on the
     * clock, armed when the first unfinished start is found. No future per attempt: at a million
     * keys those would cost more than the wait.
     */
    private void awaitRestored(List<ProcessAttempt<K, P>> restored) {
        CompletableFuture<Void> deadline = null;
        try {
            for (ProcessAttempt<K, P> attempt : restored) {
                if (attempt.started.isDone()) {
                    continue;
                }
                if (deadline == null) {
                    deadline = config.clock().after(config.initialWait());
                }
                if (!awaitEither(attempt.started, deadline)) {
                    long pending = restored.stream().filter(a -> a.state == ProcessState.STARTING).count();
                    log.info("[{}] {} restored processes still starting after initialWait {}; launch goes on", name, pending,
                            config.initialWait());
                    return;
                }
            }
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
        }
    }

    /** Waits until {@code started} is done (true) or {@code deadline} is (false); an interrupt is kept and ends the wait. */
    private static boolean awaitEither(CompletableFuture<?> started, CompletableFuture<Void> deadline) {
        try {
            CompletableFuture.anyOf(started, deadline).get();
        } catch (ExecutionException | CancellationException e) {
            // the start failed, or the deadline was cancelled: done either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return started.isDone();
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
        attempts.stopAll(restarts::cancelForClose);
        gate.close();
        if (!events.isEmpty() && !awaitWithin(events.flushed(), config.stopTimeout())) {
            log.warn("[{}] listeners did not take their last events within {}; closing without them", name, config.stopTimeout());
        }
        lifecycle.finishClose();
        log.info("[{}] closed", name);
        attempts.threads().rethrowViolations();
    }

    /** {@link dev.supervisor.Clock#awaitWithin}, keeping an interrupt for the caller. */
    private boolean awaitWithin(CompletableFuture<?> future, Duration bound) {
        try {
            return config.clock().awaitWithin(future, bound);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return future.isDone();
        }
    }

    /** True once launch() has returned normally and until close() begins. */
    public boolean isLaunched() {
        return lifecycle.state() == Lifecycle.State.RUNNING;
    }

    /** The newest full pass's report, or empty before the first pass ended. */
    public Optional<PassReport<K>> lastPass() {
        return pass.last();
    }

    // ---------------------------------------------------------------- public operations

    public P start(K key) {
        if (!lifecycle.startsAllowed()) {
            throw lifecycle.notRunning("start " + key);
        }
        RowState<P> row = config.table().row(key)
                .orElseThrow(() -> new ProcessNotFoundException(key, "no row for key " + key + " in the table"));
        if (row.paused()) {
            throw new SupervisorException("key " + key + " is paused; resume it to start it");
        }
        GroupMembership group = row.group().orElse(null);
        ProcessAttempt<K, P> attempt = lifecycle.whileStartsAllowed(() -> slots.withSlot(key, slot -> {
            ProcessAttempt<K, P> live = slot.attempt;
            if (live != null) {
                throw new ProcessExistsException(key, "a process for key " + key + " already exists (" + live.state + ")");
            }
            groups.assign(slot, group);
            ProcessAttempt<K, P> begun = gate.begin(slot, row.value(), row.revision(), row.restartRequests());
            if (begun == null) {
                throw new SupervisorException("key " + key + " is owned by another node");
            }
            return begun;
        }), () -> {
            throw lifecycle.notRunning("start " + key);
        });
        return attempts.awaitStarted(attempt);
    }

    /**
     * Stops key's process gracefully and starts a new one at once with the current row; with no
     * process, starts one. Returns the new process once it is RUNNING; null when another node runs
     * the key and the restart was requested through the table.
     */
    public P restart(K key) {
        while (true) {
            if (!lifecycle.startsAllowed()) {
                throw lifecycle.notRunning("restart " + key);
            }
            KeySlot<K, P> slot = slots.get(key);
            CompletableFuture<ProcessAttempt<K, P>> successor = null;
            if (slot != null) {
                slot.lock.lock();
                try {
                    if (!slot.removed && slot.attempt != null) {
                        successor = attempts.requestRestart(slot.attempt, StopReason.RESTART);
                    }
                } finally {
                    slot.lock.unlock();
                }
            }
            if (successor == null) {
                if (!gate.mayRun(key) && requestedThroughTable(key)) {
                    return null; // another node runs the key; it restarts it when it sees the request
                }
                try {
                    return start(key);
                } catch (ProcessExistsException e) {
                    continue; // a pass or a restart started it meanwhile: restart that process
                }
            }
            return attempts.awaitStarted(awaitSuccessor(key, successor));
        }
    }

    /**
     * Asks for key's restart through the table ({@link dev.supervisor.Table#requestRestart}), for a
     * key this node may not run; false if the table takes no such requests.
     *
     * @throws ProcessNotFoundException if the table has no row for key
     */
    private boolean requestedThroughTable(K key) {
        boolean found;
        try {
            found = config.table().requestRestart(key);
        } catch (UnsupportedOperationException e) {
            return false;
        }
        if (!found) {
            throw new ProcessNotFoundException(key, "no row for key " + key + " in the table");
        }
        log.debug("[{}] {} runs on another node; its restart was requested through the table", name, key);
        return true;
    }

    private ProcessAttempt<K, P> awaitSuccessor(K key, CompletableFuture<ProcessAttempt<K, P>> successor) {
        try {
            return successor.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new SupervisorException("the restart of " + key + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SupervisorException("interrupted while waiting for " + key + " to restart; it goes on restarting", e);
        }
    }

    /** Sets key's paused flag in the table; if this node runs the key, stops its process and waits for it to end. */
    public void pause(K key) {
        if (!config.table().setPaused(key, true)) {
            throw new ProcessNotFoundException(key, "no row for key " + key + " in the table");
        }
        ProcessAttempt<K, P> stopping = pass.pause(key);
        if (stopping != null) {
            attempts.awaitEnded(stopping);
        }
    }

    /** Clears key's paused flag in the table and asks for a check of the key, which starts it; does not wait. */
    public void resume(K key) {
        if (!config.table().setPaused(key, false)) {
            throw new ProcessNotFoundException(key, "no row for key " + key + " in the table");
        }
        if (lifecycle.startsAllowed()) {
            loop.requestKey(key);
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
        attempts.awaitEnded(attempt);
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
        for (KeySlot<K, P> member : groups.reset(slot)) { // a given-up group: every member comes back
            member.lock.lock();
            try {
                restarts.reset(member);
            } finally {
                member.lock.unlock();
            }
            loop.requestKey(member.key);
        }
    }

    public Optional<GroupStatus<K>> group(String name) {
        return groups.status(name);
    }

    public void requestPass() {
        loop.requestPass();
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
        public void restartRequested(KeySlot<K, P> slot, ProcessAttempt<K, P> attempt) {
            restarts.restartNow(slot, attempt);
        }

        @Override
        public void retiredEnded(K key) {
            if (lifecycle.startsAllowed()) {
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
