package dev.supervisor.jdbc.internal.lease;

import dev.supervisor.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background loop of a node's leases, on a platform daemon thread (so busy processes on
 * virtual threads cannot starve it): claims every claim period (three
 * renew intervals) and as soon as another node's incarnation expires or the supervisor misses a
 * key, and releases leases whose processes have ended. The heartbeat that keeps the leases valid
 * runs on a thread of its own ({@link NodeHeartbeat}), started with this loop and stopped with
 * it, so it never waits behind a claim. Each iteration catches everything, reports it, and goes
 * on; every wait is a timer on the {@link Clock}.
 */
public final class LeaseLoop {

    /*
     * Concurrency: the flags are set from any thread (timers, the supervisor's tryAcquire, the
     * end of a released process), each followed by wake(), which unparks the loop's thread. The
     * loop re-checks all flags before parking, and a wake() between the check and the park
     * leaves a permit, so no wake-up is lost. Timer futures are touched by the loop thread only.
     */

    /** The shortest time between two claim rounds asked for by the supervisor (not by the schedule). */
    public static final Duration CLAIM_SPACING = Duration.ofMillis(50);
    /** How long after another node's lease expires the loop looks for it (database clock rounding). */
    public static final Duration EXPIRY_SLACK = Duration.ofMillis(20);
    /** Every how many scheduled claim rounds the loop also deletes stale leases and dead nodes. */
    public static final int HOUSEKEEPING_EVERY = 10;

    private static final Logger LOG = LoggerFactory.getLogger(LeaseLoop.class);

    private final String name;
    private final Clock clock;
    private final Duration claimPeriod;
    private final NodeHeartbeat heartbeat;
    private final LeaseClaimer claimer;
    private final HeldLeases<?> held;
    private final AtomicBoolean claimDue = new AtomicBoolean(true);
    private final AtomicBoolean claimWanted = new AtomicBoolean();
    private final CompletableFuture<Void> firstRound = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean closed;
    private CompletableFuture<Void> claimTimer = CompletableFuture.completedFuture(null);
    private CompletableFuture<Void> spacing = CompletableFuture.completedFuture(null);
    private boolean releaseFailed;
    private int scheduledRounds;

    /** How many renew intervals pass between two scheduled claim rounds. */
    public static final int CLAIM_EVERY_RENEWALS = 3;

    public LeaseLoop(String name, Clock clock, Duration renewInterval, NodeHeartbeat heartbeat, LeaseClaimer claimer,
                     HeldLeases<?> held) {
        this.name = Objects.requireNonNull(name, "name");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.claimPeriod = renewInterval.multipliedBy(CLAIM_EVERY_RENEWALS);
        this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
        this.claimer = Objects.requireNonNull(claimer, "claimer");
        this.held = Objects.requireNonNull(held, "held");
        this.thread = Thread.ofPlatform().daemon().name("supervisor-leases-" + name).unstarted(this::run);
    }

    /** Starts the heartbeat and the loop; the loop's first round claims once the first heartbeat was tried. */
    public void start() {
        heartbeat.start();
        thread.start();
    }

    /** Completes when the first heartbeat and claim round have been tried. */
    public CompletableFuture<Void> firstRound() {
        return firstRound;
    }

    /** Wakes the loop; callable from any thread, never blocks. */
    public void wake() {
        LockSupport.unpark(thread);
    }

    /** The supervisor found a key it may not run: look for claimable keys soon. Never blocks. */
    public void claimSoon() {
        if (!claimWanted.getAndSet(true)) {
            wake();
        }
    }

    /** Stops the loop and the heartbeat; completes when both threads have ended (a statement in flight finishes first). */
    public CompletableFuture<Void> close() {
        closed = true;
        if (thread.getState() == Thread.State.NEW) {
            ended.complete(null); // never started
        }
        wake();
        return CompletableFuture.allOf(ended, heartbeat.close());
    }

    private void run() {
        try {
            heartbeat.firstBeat().join();
            while (!closed) {
                iterate();
                if (!firstRound.isDone()) {
                    firstRound.complete(null);
                }
                while (!closed && !hasWork()) {
                    LockSupport.park(this);
                }
            }
        } finally {
            claimTimer.cancel(false);
            spacing.cancel(false);
            firstRound.complete(null);
            ended.complete(null);
        }
    }

    private boolean hasWork() {
        return claimDue.get() || (claimWanted.get() && spacing.isDone())
                || (held.hasWork() && !releaseFailed);
    }

    private void iterate() {
        if (held.hasWork() && !releaseFailed) {
            guarded("releasing", () -> releaseFailed = !claimer.releaseEnded());
        }
        boolean scheduled = claimDue.getAndSet(false);
        if (scheduled || (claimWanted.get() && spacing.isDone())) {
            boolean asked = claimWanted.getAndSet(false);
            spacing = clock.after(CLAIM_SPACING);
            spacing.thenRun(this::wake);
            boolean housekeeping = scheduled && ++scheduledRounds % HOUSEKEEPING_EVERY == 0;
            releaseFailed = false; // try queued releases again once per round
            Duration next = claimPeriod;
            try {
                LeaseClaimer.Outcome outcome = claimer.claimOnce(housekeeping, asked);
                if (outcome.again()) {
                    claimWanted.set(true);
                }
                Optional<Duration> expiry = outcome.untilNextExpiry();
                if (expiry.isPresent() && expiry.get().plus(EXPIRY_SLACK).compareTo(next) < 0) {
                    next = expiry.get().plus(EXPIRY_SLACK);
                }
            } catch (Throwable e) {
                LOG.debug("[{}] Claim round failed", name, e);
            }
            claimTimer.cancel(false);
            claimTimer = clock.after(next);
            claimTimer.thenRun(() -> {
                claimDue.set(true);
                wake();
            });
        }
    }

    private void guarded(String what, Runnable step) {
        try {
            step.run();
        } catch (Throwable e) {
            LOG.error("[{}] Unexpected failure while {}; the loop goes on", name, what, e);
        }
    }
}
