package dev.supervisor.jdbc.internal.signal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change signal of databases without notifications (H2, MariaDB, MySQL): a check of the
 * table's {@link ChangeLog} every {@code pollInterval} on the setup's clock, and, on H2, at once
 * when the trigger logs a change in this JVM (see {@link H2Wakeups}).
 *
 * <p>The first check picks how: {@link ChangeLogCheck} (exact) when the table's triggers log its
 * changes, else {@link RevisionCheck} (row count and highest revision), logged once at INFO. The
 * first successful check after start or after a failed one reports {@code tableChanged}, since
 * changes may have gone unseen meanwhile.
 *
 * <p>When this JVM hosts an H2 database (its connections are local; with {@code Database.embedded},
 * the first JVM to open the file), every write, whoever makes it, runs the trigger here and wakes
 * the check; the poll then runs every {@link #HOSTED_POLL_INTERVAL} only (or the poll interval if
 * longer), as a safety net, which keeps an idle supervisor's cost low.
 *
 * <p>A wakeup comes from the writer's thread before its transaction commits, so the check it asks
 * for may not see the change yet: it is then repeated every {@link #WAKE_RETRY}, for at most a poll
 * interval (and at most {@link #MAX_WAKE_RETRYING}), after which the poll finds it.
 */
public final class ChangeLogPoller implements ChangeSource {

    /*
     * Concurrency: checks run one at a time on a single daemon thread ("executor"), so "check" and
     * its state are confined to it. The poll timer is armed only after a timer check ends; a
     * wakeup queues at most one check at a time ("wakeQueued") and its retries use a timer of their
     * own. close() sets "closed", cancels both timers, unregisters the wakeup and shuts the executor
     * down; a timer or wakeup after that is rejected and ignored.
     */

    static final Duration WAKE_RETRY = Duration.ofMillis(1);
    /**
     * How often to poll when this JVM hosts the database and wakeups are on: every write then wakes
     * the check, so the poll is only the safety net for what fires no trigger (H2's
     * {@code TRUNCATE TABLE}) and for a transaction that committed after its woken check stopped looking.
     */
    static final Duration HOSTED_POLL_INTERVAL = Duration.ofSeconds(1);
    /** A woken check looks again for at most the poll interval, and at most this long. */
    static final Duration MAX_WAKE_RETRYING = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(ChangeLogPoller.class);

    private final SignalSetup setup;
    private final ChangeLog log;
    private final ExecutorService executor;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private final int maxWakeRetries;
    private volatile boolean closed;
    private volatile CompletableFuture<Void> timer = CompletableFuture.completedFuture(null);
    private volatile CompletableFuture<Void> retryTimer = CompletableFuture.completedFuture(null);
    private volatile Runnable unregister = () -> { };
    private volatile ChangeCheck check; // chosen by the first successful check
    private boolean failing;
    private int wakeRetries;

    public ChangeLogPoller(SignalSetup setup, ChangeLog log) {
        this.setup = setup;
        this.log = log;
        Duration retrying = setup.pollInterval().compareTo(MAX_WAKE_RETRYING) < 0 ? setup.pollInterval() : MAX_WAKE_RETRYING;
        this.maxWakeRetries = (int) Math.max(1, retrying.toNanos() / WAKE_RETRY.toNanos());
        this.executor = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
                .name("supervisor-poll-" + setup.queries().table()).factory());
    }

    @Override
    public void start() {
        executor.execute(() -> check(true));
    }

    private void check(boolean timerPoll) {
        if (closed) {
            return;
        }
        try {
            if (check == null) {
                check = choose();
            }
            check.run(timerPoll);
            if (failing) {
                LOG.info("[{}] Change polling recovered", setup.queries().table());
                failing = false;
            }
        } catch (Throwable e) {
            if (check != null) {
                check.reset();
            }
            if (!failing) {
                LOG.warn("[{}] Change polling failed; retrying every {} ms: {}", setup.queries().table(),
                        setup.pollInterval().toMillis(),
                        e.getMessage());
                failing = true;
            }
        } finally {
            if (timerPoll) {
                arm();
            } else {
                retryWake();
            }
        }
    }

    /** The exact check when the table's triggers log its changes, else the revision check. */
    private ChangeCheck choose() {
        ChangeLog.Probe probe = setup.queries().inTurn("inspect", handle -> log.inspect(handle, setup.queries()));
        if (!probe.logged()) {
            LOG.info("[{}] No change log trigger on the table: deletes are noticed by its row count and highest revision, "
                    + "some of them only at the next full pass (see docs/jdbc.md, Your own table)", setup.queries().table());
            return new RevisionCheck(setup);
        }
        ChangeLogCheck exact = new ChangeLogCheck(setup, log, probe.schema(), probe.name());
        if (setup.wakeups() && probe.wakeKey().isPresent()) {
            unregister = log.registerWakeup(probe.wakeKey().get(), id -> {
                exact.awaken(id);
                wake();
            });
            if (closed) {
                unregister.run();
            }
        }
        return exact;
    }

    /** A change was logged in this JVM: check at once (one queued check at a time). */
    private void wake() {
        if (closed || !wakeQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> {
                wakeQueued.set(false);
                wakeRetries = 0;
                check(false);
            });
        } catch (RejectedExecutionException afterClose) {
            // closed meanwhile
        }
    }

    /** After a woken check: if the announced change is not visible yet (not committed), look again soon. */
    private void retryWake() {
        ChangeCheck current = check;
        if (closed || current == null || !current.awaiting() || wakeRetries >= maxWakeRetries || !retryTimer.isDone()) {
            return;
        }
        wakeRetries++;
        CompletableFuture<Void> next = setup.clock().after(WAKE_RETRY);
        retryTimer = next;
        next.thenRun(() -> submit(() -> check(false)));
        if (closed) {
            next.cancel(false);
        }
    }

    /** The poll interval, or {@link #HOSTED_POLL_INTERVAL} when every change wakes the check. */
    private Duration interval() {
        ChangeCheck current = check;
        boolean wokenByEveryChange = setup.wakeups() && current != null && current.hostedHere();
        return wokenByEveryChange && HOSTED_POLL_INTERVAL.compareTo(setup.pollInterval()) > 0
                ? HOSTED_POLL_INTERVAL : setup.pollInterval();
    }

    private void arm() {
        if (closed) {
            return;
        }
        CompletableFuture<Void> next = setup.clock().after(interval());
        timer = next;
        next.thenRun(() -> submit(() -> check(true)));
        if (closed) {
            next.cancel(false);
        }
    }

    private void submit(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException afterClose) {
            // closed meanwhile
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.cancel(false);
        retryTimer.cancel(false);
        unregister.run();
        executor.shutdown();
    }
}
