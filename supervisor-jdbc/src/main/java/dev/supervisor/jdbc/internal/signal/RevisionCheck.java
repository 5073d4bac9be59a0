package dev.supervisor.jdbc.internal.signal;

import dev.supervisor.ChangeListener;
import dev.supervisor.jdbc.internal.table.TableQueries;
import dev.supervisor.jdbc.internal.table.TableQueries.Signature;
import java.util.List;

/**
 * The change check of an H2 table without {@code H2ChangeTrigger}: reads the table's
 * {@link Signature} (row count and highest revision, both cheap) and compares it with the last one.
 *
 * <p>When the signature moved, the rows whose revision moved past the last maximum are reported by
 * key ({@code rowChanged}). Unless they are all inserts (the count grew by exactly their number),
 * it reports {@code tableChanged} as well, since an update cannot be told from an insert plus a
 * delete of some other row; more than {@link #MAX_ROWS_PER_SIGNAL} rows, or a table without a
 * revision column, give {@code tableChanged} alone.
 *
 * <p>Known gaps, which the trigger closes: an update committed after a later revision was already
 * seen (two writers racing) leaves count and maximum unchanged and is found only by the
 * supervisor's periodic pass; so do an update and a delete of the row with the highest revision.
 */
final class RevisionCheck implements ChangeCheck {

    static final int MAX_ROWS_PER_SIGNAL = 64;

    private final TableQueries queries;
    private final ChangeListener<String> sink;
    private Signature last; // null until the first successful check, and after a failed one

    RevisionCheck(SignalSetup setup) {
        this.queries = setup.queries();
        this.sink = setup.sink();
    }

    @Override
    public void run(boolean timerPoll) {
        Signature now = queries.signature();
        if (last == null) {
            sink.tableChanged();
        } else if (!now.equals(last)) {
            report(last, now);
        }
        last = now;
    }

    @Override
    public void reset() {
        last = null;
    }

    private void report(Signature before, Signature after) {
        if (!queries.hasRevision() || after.maxRevision() < before.maxRevision()) {
            sink.tableChanged();
            return;
        }
        List<String> changed = after.maxRevision() > before.maxRevision()
                ? queries.changedBetween(before.maxRevision(), after.maxRevision(), MAX_ROWS_PER_SIGNAL + 1)
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
}
