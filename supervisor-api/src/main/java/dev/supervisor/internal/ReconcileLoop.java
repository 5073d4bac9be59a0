package dev.supervisor.internal;

import dev.supervisor.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background thread that reconciles: a periodic pass every interval (reading only changed
 * rows where the table can, see {@link ReconcilePass#runChanges}), a full pass every resync
 * interval or on request, and a quick check of the keys whose rows the table signals changed
 * (read in batches however many there are: a node that won thousands of leases reads those rows,
 * not the whole table).
 *
 * <p>Concurrency: requests may come from any thread and never block (they set a flag or add a
 * key under {@link #lock} and signal). One platform thread does the work, outside the lock: a
 * pass reads the table page after page, and on a virtual thread each read would wait for a carrier
 * behind the processes (which are not time-sliced) and, on a socket, for the poller to resume it.
 * Requests made during a pass are kept for the next round, so none is lost; many requests
 * coalesce into one pass. Each round catches everything it throws, logs it and goes on.
 */
final class ReconcileLoop<K> {
    private static final Logger log = LoggerFactory.getLogger(ReconcileLoop.class);
    /** After a failed pass the next one comes this soon, doubling on every failure up to the interval. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);

    private final String name;
    private final Clock clock;
    private final Duration interval;
    private final BooleanSupplier fullPass;
    private final BooleanSupplier periodicPass;
    private final Duration resyncInterval;
    private final BooleanSupplier listsChanges;
    private final BiConsumer<List<K>, BooleanSupplier> keysCheck;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workArrived = lock.newCondition();
    private boolean passDue;
    private boolean periodicDue;
    private CompletableFuture<Void> resyncTimer;
    private Set<K> changedKeys = new LinkedHashSet<>();
    private boolean stopped;
    private CompletableFuture<Void> intervalTimer;
    private Duration retryDelay = FIRST_RETRY;
    private Thread thread;

    /**
     * @param fullPass runs one full pass; true if it read the whole table, false if it failed
     *     (it is then retried after {@link #FIRST_RETRY}, doubling up to the interval)
     * @param periodicPass runs the pass due every interval (one that may read only changed rows); true if complete
     * @param resyncInterval how often a full pass runs at the latest; not above {@code interval},
     *     every periodic pass is a full one
     * @param listsChanges true while periodic passes read only changed rows (no resync timer is armed otherwise)
     * @param keysCheck checks the rows of signalled keys, stopping early when the supplier says the loop stopped
     */
    ReconcileLoop(String name, Clock clock, Duration interval, Duration resyncInterval, BooleanSupplier fullPass,
            BooleanSupplier periodicPass, BooleanSupplier listsChanges, BiConsumer<List<K>, BooleanSupplier> keysCheck) {
        this.listsChanges = listsChanges;
        this.name = name;
        this.clock = clock;
        this.interval = interval;
        this.resyncInterval = resyncInterval;
        this.fullPass = fullPass;
        this.periodicPass = resyncInterval.compareTo(interval) <= 0 ? fullPass : periodicPass;
        this.keysCheck = keysCheck;
    }

    /** Starts the loop thread and arms the first interval and resync (launch's full pass just ran). */
    void start(ThreadTracker threads) {
        lock.lock();
        try {
            armInterval();
            armResync();
            thread = threads.startPlatform(name + "-reconcile", this::run);
        } finally {
            lock.unlock();
        }
    }

    /** Asks for a full pass soon. */
    void requestPass() {
        lock.lock();
        try {
            passDue = true;
            workArrived.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Asks for a check of key's row soon. */
    void requestKey(K key) {
        lock.lock();
        try {
            changedKeys.add(key);
            workArrived.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the loop and waits for its thread; an ongoing pass ends at its next row (the engine checks). */
    void stop() {
        Thread running;
        lock.lock();
        try {
            stopped = true;
            if (intervalTimer != null) {
                intervalTimer.cancel(false);
            }
            if (resyncTimer != null) {
                resyncTimer.cancel(false);
            }
            workArrived.signal();
            running = thread;
        } finally {
            lock.unlock();
        }
        if (running != null && running != Thread.currentThread()) {
            boolean interrupted = false;
            while (running.isAlive()) {
                try {
                    running.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (true) {
            boolean pass;
            boolean periodic;
            List<K> keys;
            lock.lock();
            try {
                while (!stopped && !passDue && !periodicDue && changedKeys.isEmpty()) {
                    workArrived.awaitUninterruptibly();
                }
                if (stopped) {
                    return;
                }
                keys = new ArrayList<>(changedKeys);
                changedKeys = new LinkedHashSet<>();
                pass = passDue;
                periodic = !pass && periodicDue;
                passDue = false;
                periodicDue = false;
                if (pass || periodic) {
                    armInterval();
                }
                if (pass) {
                    armResync();
                }
            } finally {
                lock.unlock();
            }
            try {
                if (pass) {
                    passEnded(fullPass.getAsBoolean());
                } else if (periodic) {
                    passEnded(periodicPass.getAsBoolean());
                    keysCheck.accept(keys, this::isStopped); // signalled keys not covered by the pass's reads: deletions, say
                } else {
                    keysCheck.accept(keys, this::isStopped);
                }
            } catch (StateGraph.Violation bug) {
                throw bug; // only with assertions enabled: ends the loop, and close() reports it
            } catch (Throwable t) {
                log.error("[{}] reconcile round failed; the loop goes on", name, t);
            }
        }
    }

    private boolean isStopped() {
        lock.lock();
        try {
            return stopped;
        } finally {
            lock.unlock();
        }
    }

    /**
     * After a pass: a failed one (the table unreachable, say) is retried sooner than the interval,
     * backing off; a complete one resets the retry delay.
     */
    void passEnded(boolean complete) {
        lock.lock();
        try {
            if (complete) {
                retryDelay = FIRST_RETRY;
                return;
            }
            if (stopped || retryDelay.compareTo(interval) >= 0) {
                return; // the interval timer armed for this pass comes first
            }
            if (intervalTimer != null) {
                intervalTimer.cancel(false);
            }
            CompletableFuture<Void> timer = clock.after(retryDelay);
            intervalTimer = timer;
            timer.thenRun(this::requestPass);
            log.info("[{}] retrying the failed pass in {}", name, retryDelay);
            Duration doubled = retryDelay.multipliedBy(2);
            retryDelay = doubled.compareTo(interval) < 0 ? doubled : interval;
        } finally {
            lock.unlock();
        }
    }

    /** Re-arms the interval timer from now. Caller holds the lock. */
    private void armInterval() {
        if (intervalTimer != null) {
            intervalTimer.cancel(false);
        }
        if (stopped) {
            return;
        }
        CompletableFuture<Void> timer = clock.after(interval);
        intervalTimer = timer;
        timer.thenRun(this::requestPeriodic);
    }

    /**
     * Re-arms the resync timer from now: a full pass every resync interval at the latest, while
     * periodic passes read only changes. Caller holds the lock; runs on the thread that runs passes.
     */
    private void armResync() {
        if (resyncTimer != null) {
            resyncTimer.cancel(false);
        }
        if (stopped || periodicPass == fullPass || !listsChanges.getAsBoolean()) {
            return; // every periodic pass is a full one
        }
        CompletableFuture<Void> timer = clock.after(resyncInterval);
        resyncTimer = timer;
        timer.thenRun(this::requestPass);
    }

    /** The interval passed: the periodic pass is due. */
    private void requestPeriodic() {
        lock.lock();
        try {
            periodicDue = true;
            workArrived.signal();
        } finally {
            lock.unlock();
        }
    }
}
