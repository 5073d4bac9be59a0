package dev.supervisor.jdbc.internal.signal;

import dev.supervisor.jdbc.internal.table.KeysetCursor;
import dev.supervisor.jdbc.internal.table.StoredRow;
import dev.supervisor.jdbc.internal.table.TableQueries;
import java.util.List;

/**
 * The pages of a cursor over the rows changed since a revision, in (revision, key) order: each page
 * continues after the previous page's last row, so rows sharing a revision are neither skipped
 * nor read twice. One instance per cursor; not thread-safe.
 */
public final class ChangedRows implements KeysetCursor.PageReader {
    private final TableQueries queries;
    private final long after;
    private StoredRow last;

    /** Pages of the rows of {@code queries}' table whose revision is above {@code after}. */
    public ChangedRows(TableQueries queries, long after) {
        this.queries = queries;
        this.after = after;
    }

    @Override
    public List<StoredRow> read(String afterKey, int limit) {
        List<StoredRow> page = queries.changedPage(after, afterKey == null ? null : last, limit);
        if (!page.isEmpty()) {
            last = page.getLast();
        }
        return page;
    }
}
