package dev.supervisor.jdbc.internal;

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
 * The one background loop of a node's leases, on a virtual thread: renews every
 * {@code renewInterval}, claims every {@code renewInterval} and as soon as another node's lease
 * expires or the supervisor misses a key, and releases leases whose processes have ended. One
 * thread does all three, so a claim never interleaves with a renewal (whose answer must be
 * exactly this node's leases). Each iteration catches everything, reports it, and goes on;
 * every wait is a timer on the {@link Clock}.
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
    private final Duration renewInterval;
    private final LeaseRenewer renewer;
    private final LeaseClaimer claimer;
    private final HeldLeases<?> held;
    private final AtomicBoolean renewDue = new AtomicBoolean(true);
    private final AtomicBoolean claimDue = new AtomicBoolean(true);
    private final AtomicBoolean claimWanted = new AtomicBoolean();
    private final CompletableFuture<Void> firstRound = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean closed;
    private CompletableFuture<Void> renewTimer = CompletableFuture.completedFuture(null);
    private CompletableFuture<Void> claimTimer = CompletableFuture.completedFuture(null);
    private CompletableFuture<Void> spacing = CompletableFuture.completedFuture(null);
    private boolean releaseFailed;
    private int scheduledRounds;

    public LeaseLoop(String name, Clock clock, Duration renewInterval, LeaseRenewer renewer, LeaseClaimer claimer,
                     HeldLeases<?> held) {
        this.name = Objects.requireNonNull(name, "name");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.renewInterval = Objects.requireNonNull(renewInterval, "renewInterval");
        this.renewer = Objects.requireNonNull(renewer, "renewer");
        this.claimer = Objects.requireNonNull(claimer, "claimer");
        this.held = Objects.requireNonNull(held, "held");
        this.thread = Thread.ofVirtual().name("supervisor-leases-" + name).unstarted(this::run);
    }

    /** Starts the loop; its first iteration renews and claims at once. */
    public void start() {
        thread.start();
    }

    /** Completes when the first renewal and claim round have been tried. */
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

    /** Stops the loop; the returned future completes when its thread has ended (a statement in flight finishes first). */
    public CompletableFuture<Void> close() {
        closed = true;
        if (thread.getState() == Thread.State.NEW) {
            ended.complete(null); // never started
        }
        wake();
        return ended;
    }

    private void run() {
        try {
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
            renewTimer.cancel(false);
            claimTimer.cancel(false);
            spacing.cancel(false);
            firstRound.complete(null);
            ended.complete(null);
        }
    }

    private boolean hasWork() {
        return renewDue.get() || claimDue.get() || (claimWanted.get() && spacing.isDone())
                || (held.hasWork() && !releaseFailed);
    }

    private void iterate() {
        if (renewDue.getAndSet(false)) {
            renewTimer = clock.after(renewInterval);
            renewTimer.thenRun(() -> {
                renewDue.set(true);
                wake();
            });
            guarded("renewing", renewer::renewOnce);
            releaseFailed = false; // try queued releases again once per renewal
        }
        if (held.hasWork() && !releaseFailed) {
            guarded("releasing", () -> releaseFailed = !claimer.releaseEnded());
        }
        boolean scheduled = claimDue.getAndSet(false);
        if (scheduled || (claimWanted.get() && spacing.isDone())) {
            claimWanted.set(false);
            spacing = clock.after(CLAIM_SPACING);
            spacing.thenRun(this::wake);
            boolean housekeeping = scheduled && ++scheduledRounds % HOUSEKEEPING_EVERY == 0;
            Duration next = renewInterval;
            try {
                LeaseClaimer.Outcome outcome = claimer.claimOnce(housekeeping);
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
