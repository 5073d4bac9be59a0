package dev.supervisor.jdbc.internal.signal;

import dev.supervisor.ChangeListener;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;

/**
 * The exact change check of a table whose triggers log its changes ({@link ChangeLog}): reads the
 * entries logged in {@code supervisor_changes} after the highest id seen so far, and reports each
 * changed key ({@code rowChanged}), or {@code tableChanged} for more than
 * {@link #MAX_ROWS_PER_SIGNAL} keys. Inserts, updates and deletes are seen at the next check
 * however they interleave.
 *
 * <p><b>Gaps.</b> Ids are taken when a row is logged, not when its transaction commits, so an id
 * below the highest one seen may still become visible (a transaction that was open during the last
 * check) or never (rolled back). Every id skipped over is kept as a gap and looked up again at each
 * check until it shows, or for {@link #GAP_TIMEOUT}; a transaction open longer than that is left
 * to the supervisor's periodic pass. At most {@link #MAX_GAPS} ranges of ids are kept.
 *
 * <p><b>Cost.</b> A check of an unchanged table is one statement: the table's fingerprint and the
 * newest id, both cheap, compared with the last ones (and no gap open); only when they moved is the
 * log read, in a transaction that reads one snapshot ({@link ChangeLog#snapshot()}).
 *
 * <p><b>Unlogged changes.</b> The table's fingerprint ({@link ChangeLog#fingerprint}: H2's row
 * count, MariaDB's row with the lowest revision) is read in the same snapshot as the log: when it
 * moved in a way the logged changes do not account for, something changed the table without the
 * triggers ({@code TRUNCATE TABLE}, which fires none), and {@code tableChanged} is reported.
 *
 * <p><b>Pruning.</b> Every {@link #PRUNE_EVERY} it deletes the entries every reader has had for
 * {@link #RETENTION} (the highest id seen then).
 */
final class ChangeLogCheck implements ChangeCheck {

    static final int MAX_ROWS_PER_SIGNAL = 64;
    static final int BATCH = 256;
    static final int MAX_GAPS = 64;
    static final Duration GAP_TIMEOUT = Duration.ofSeconds(60);
    static final Duration RETENTION = Duration.ofMinutes(10);
    static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    private final SignalSetup setup;
    private final ChangeLog changeLog;
    private final ChangeListener<String> sink;
    private final String tableName;
    private final Optional<ChangeLog.Fingerprint> fingerprint;
    private final String count;
    private final String summary;
    private final String newest;
    private final String after;
    private final String between;
    private final String prune;
    private final long gapPolls;
    private final long prunePolls;
    private final AtomicLong awaited = new AtomicLong();

    /* Confined to the poller's thread. */
    private long watermark = -1; // the highest id seen; -1 before the first check and after a failed one
    private String rows; // the table's fingerprint ({@link ChangeLog#fingerprint}) at the last check
    private long polls;
    private final List<Gap> gaps = new ArrayList<>();
    private final Deque<Long> pruneMarks = new ArrayDeque<>();
    private volatile long seen = -1;
    private volatile boolean hosted;

    /**
     * @param schema the schema of the table and of its log, as the database stores it
     * @param tableName the table's name as the database stores it (and its triggers log it)
     */
    ChangeLogCheck(SignalSetup setup, ChangeLog changeLog, String schema, String tableName) {
        this.setup = setup;
        this.changeLog = changeLog;
        this.sink = setup.sink();
        this.tableName = tableName;
        String log = changeLog.logTable(schema);
        this.fingerprint = changeLog.fingerprint(setup.queries(), setup.queries().hasRevision());
        this.count = fingerprint.map(ChangeLog.Fingerprint::query).orElse("SELECT NULL");
        this.summary = "SELECT (" + count + "), (SELECT COALESCE(MAX(id), 0) FROM " + log + ")";
        this.newest = "SELECT COALESCE(MAX(id), 0) FROM " + log;
        this.after = "SELECT id, table_name, name, op FROM " + log + " WHERE id > ? ORDER BY id LIMIT " + BATCH;
        this.between = "SELECT id, table_name, name, op FROM " + log + " WHERE id BETWEEN ? AND ? ORDER BY id";
        this.prune = "DELETE FROM " + log + " WHERE id <= ?";
        this.gapPolls = Math.max(1, GAP_TIMEOUT.toNanos() / setup.pollInterval().toNanos());
        this.prunePolls = Math.max(1, PRUNE_EVERY.toNanos() / setup.pollInterval().toNanos());
    }

    /** One logged change. */
    private record Entry(long id, String table, String key, String op) {
    }

    /** Ids {@code from..to} not seen yet, looked up until poll {@code until}. */
    private record Gap(long from, long to, long until) {
    }

    /** What one read found, reported after its transaction ended. */
    private static final class Found {
        final Set<String> keys = new LinkedHashSet<>();
        long delta;
        boolean wholeTable;
    }

    @Override
    public void run(boolean timerPoll) {
        if (timerPoll) {
            polls++;
        }
        Found found = setup.queries().inTurn("check", handle -> {
            hosted = changeLog.hostedHere(handle.getConnection());
            return unchanged(handle) ? new Found() : handle.inTransaction(changeLog.snapshot(), this::read);
        });
        if (found.wholeTable || found.keys.size() > MAX_ROWS_PER_SIGNAL) {
            sink.tableChanged();
        } else {
            found.keys.forEach(sink::rowChanged);
        }
        seen = watermark;
        if (timerPoll && polls % prunePolls == 0) {
            prune();
        }
    }

    /**
     * The cheap common case, one statement outside a transaction: the fingerprint and the newest id
     * as last seen, and no gap to look up, so nothing was committed since the last check.
     */
    private boolean unchanged(Handle handle) {
        if (watermark < 0 || !gaps.isEmpty()) {
            return false;
        }
        return handle.createQuery(summary).map((rs, ctx) -> java.util.Objects.equals(rs.getString(1), rows)
                && rs.getLong(2) == watermark).one();
    }

    private Found read(Handle handle) {
        Found found = new Found();
        String now = handle.createQuery(count).map((rs, ctx) -> rs.getString(1)).findFirst().orElse(null);
        if (watermark < 0) {
            watermark = handle.createQuery(newest).mapTo(Long.class).one();
            gaps.clear();
            pruneMarks.clear();
            rows = now;
            found.wholeTable = true;
            return found;
        }
        if (!gaps.isEmpty()) {
            readGaps(handle, found);
        }
        List<Entry> batch;
        do {
            batch = handle.createQuery(after).bind(0, watermark).map((rs, ctx) -> new Entry(rs.getLong(1), rs.getString(2),
                    rs.getString(3), rs.getString(4))).list();
            for (Entry entry : batch) {
                if (entry.id() > watermark + 1) {
                    addGap(new Gap(watermark + 1, entry.id() - 1, polls + gapPolls));
                }
                watermark = entry.id();
                take(entry, found);
            }
        } while (batch.size() == BATCH);
        gaps.removeIf(gap -> gap.until() < polls);
        if (fingerprint.isPresent() && fingerprint.get().unlogged(rows, now, found.delta,
                found.keys.size() > MAX_ROWS_PER_SIGNAL ? null : found.keys)) {
            found.wholeTable = true; // changed without the trigger: TRUNCATE TABLE
        }
        rows = now;
        return found;
    }

    private void readGaps(Handle handle, Found found) {
        List<Gap> open = List.copyOf(gaps);
        gaps.clear();
        for (Gap gap : open) {
            List<Entry> filled = handle.createQuery(between).bind(0, gap.from()).bind(1, gap.to())
                    .map((rs, ctx) -> new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4))).list();
            long from = gap.from();
            for (Entry entry : filled) {
                if (entry.id() > from) {
                    gaps.add(new Gap(from, entry.id() - 1, gap.until()));
                }
                from = entry.id() + 1;
                take(entry, found);
            }
            if (from <= gap.to()) {
                gaps.add(new Gap(from, gap.to(), gap.until()));
            }
        }
    }

    private void addGap(Gap gap) {
        gaps.add(gap);
        if (gaps.size() > MAX_GAPS) {
            gaps.removeFirst(); // the oldest: left to the periodic pass
        }
    }

    private void take(Entry entry, Found found) {
        if (!entry.table().equals(tableName)) {
            return; // another table logging in the same schema
        }
        found.delta += switch (entry.op()) {
            case "I" -> 1;
            case "D" -> -1;
            default -> 0;
        };
        if (found.keys.size() <= MAX_ROWS_PER_SIGNAL) {
            found.keys.add(entry.key());
        }
    }

    private void prune() {
        pruneMarks.addLast(watermark);
        if (pruneMarks.size() > RETENTION.toNanos() / PRUNE_EVERY.toNanos()) {
            long upTo = pruneMarks.removeFirst();
            setup.queries().inTurn("prune the change log of", handle -> handle.execute(prune, upTo));
        }
    }

    @Override
    public void reset() {
        watermark = -1;
        seen = -1;
    }

    @Override
    public boolean hostedHere() {
        return hosted;
    }

    @Override
    public boolean awaiting() {
        return awaited.get() > seen;
    }

    @Override
    public void awaken(long id) {
        awaited.accumulateAndGet(id, Math::max);
    }
}
