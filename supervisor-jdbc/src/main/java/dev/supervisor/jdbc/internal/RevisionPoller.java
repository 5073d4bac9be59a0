package dev.supervisor.jdbc.internal;

import dev.supervisor.ChangeListener;
import dev.supervisor.jdbc.internal.TableQueries.Signature;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * H2's change signal: every {@code pollInterval} on the setup's clock, reads the table's
 * {@link Signature} (row count and highest revision, both cheap) and compares it with the last one.
 *
 * <p>When the signature moved, the rows whose revision moved past the last maximum are reported by
 * key ({@code rowChanged}). Unless they are all inserts (the count grew by exactly their number),
 * it reports {@code tableChanged} as well, since an update cannot be told from an insert plus a
 * delete of some other row; more than {@link #MAX_ROWS_PER_SIGNAL} rows, or a table without a
 * revision column, give {@code tableChanged} alone. The first successful check after start or after a
 * failed one also reports {@code tableChanged}, since changes may have gone unseen meanwhile.
 *
 * <p>Known gap: an update committed after a later revision was already seen (two writers racing)
 * leaves count and maximum unchanged and is found only by the supervisor's periodic pass.
 */
final class RevisionPoller implements ChangeSource {

    /*
     * Concurrency: checks run one at a time on a single daemon thread ("executor"); the next timer
     * is armed only after a check ends, so checks never overlap and "last" is confined to that
     * thread. close() sets "closed", cancels the armed timer and shuts the executor down; a timer
     * firing after that is rejected and ignored.
     */

    static final int MAX_ROWS_PER_SIGNAL = 64;

    private static final Logger LOG = LoggerFactory.getLogger(RevisionPoller.class);

    private final SignalSetup setup;
    private final ChangeListener<String> sink;
    private final ExecutorService executor;
    private volatile boolean closed;
    private volatile CompletableFuture<Void> timer = CompletableFuture.completedFuture(null);
    private Signature last; // null until the first successful check, and after a failed one
    private boolean failing;

    RevisionPoller(SignalSetup setup) {
        this.setup = setup;
        this.sink = setup.sink();
        this.executor = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
                .name("supervisor-h2-poll-" + setup.queries().table()).factory());
    }

    @Override
    public void start() {
        executor.execute(this::check);
    }

    private void check() {
        if (closed) {
            return;
        }
        try {
            Signature now = setup.queries().signature();
            if (last == null) {
                sink.tableChanged();
            } else if (!now.equals(last)) {
                report(last, now);
            }
            last = now;
            if (failing) {
                LOG.info("[{}] Change polling recovered", setup.queries().table());
                failing = false;
            }
        } catch (Throwable e) {
            last = null;
            if (!failing) {
                LOG.warn("[{}] Change polling failed; retrying every {}: {}", setup.queries().table(), setup.pollInterval(),
                        e.getMessage());
                failing = true;
            }
        } finally {
            arm();
        }
    }

    private void report(Signature before, Signature after) {
        if (!setup.queries().hasRevision() || after.maxRevision() < before.maxRevision()) {
            sink.tableChanged();
            return;
        }
        List<String> changed = after.maxRevision() > before.maxRevision()
                ? setup.queries().changedBetween(before.maxRevision(), after.maxRevision(), MAX_ROWS_PER_SIGNAL + 1)
                : List.of();
        if (changed.size() > MAX_ROWS_PER_SIGNAL) {
            sink.tableChanged();
            return;
        }
        changed.forEach(sink::rowChanged);
        if (after.count() - before.count() != changed.size()) {
            sink.tableChanged(); // updates, or deletes whose keys are unknown
        }
    }

    private void arm() {
        if (closed) {
            return;
        }
        CompletableFuture<Void> next = setup.clock().after(setup.pollInterval());
        timer = next;
        next.thenRun(() -> {
            try {
                executor.execute(this::check);
            } catch (RejectedExecutionException afterClose) {
                // closed meanwhile
            }
        });
        if (closed) {
            next.cancel(false);
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.cancel(false);
        executor.shutdown();
    }
}
