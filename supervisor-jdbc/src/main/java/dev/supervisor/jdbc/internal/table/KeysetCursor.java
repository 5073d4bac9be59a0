package dev.supervisor.jdbc.internal.table;

import dev.supervisor.Cursor;
import dev.supervisor.GroupMembership;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A {@link Cursor} that reads a table in key order, one page at a time: each page is a short
 * query ({@code WHERE key > last ORDER BY key LIMIT n}) by its {@link PageReader} (for a full
 * scan a {@link KeysetScan}, which gives its connection back after the last page), so memory
 * holds one page, whatever the table's size, and no page is read before the cursor reaches it.
 * Rows changed while it runs may or may not be seen, like a {@code ResultSet}'s. Values are
 * decoded only when asked for. Not thread-safe: one thread uses a cursor.
 */
public final class KeysetCursor<K, P> implements Cursor<K, P> {

    /** Reads one page: up to {@code limit} rows after {@code afterKey} (from the start when null). */
    @FunctionalInterface
    public interface PageReader {
        List<StoredRow> read(String afterKey, int limit);

        /** Releases what the reader holds between pages (a connection, say); called when the cursor closes. */
        default void close() {
        }
    }

    private final PageReader pages;
    private final RowDecoding<K, P> decoding;
    private final int pageSize;
    private final boolean revisions;
    private List<StoredRow> page = List.of();
    private int index;
    private boolean exhausted;
    private boolean closed;
    private String lastKeyText;
    private StoredRow current;
    private K currentKey;

    /**
     * A cursor reading pages of {@code pageSize} rows through {@code pages}; with {@code revisions}
     * false the table has no revision column and {@link #revision()} is empty.
     */
    public KeysetCursor(PageReader pages, RowDecoding<K, P> decoding, int pageSize, boolean revisions) {
        this.revisions = revisions;
        this.pages = Objects.requireNonNull(pages, "pages");
        this.decoding = Objects.requireNonNull(decoding, "decoding");
        this.pageSize = OptionChecks.atLeastOne("pageSize", pageSize);
    }

    @Override
    public boolean next() {
        if (closed) {
            throw new IllegalStateException("the cursor over " + decoding.table() + " is closed");
        }
        if (index == page.size() && !exhausted) {
            page = pages.read(lastKeyText, pageSize);
            index = 0;
            exhausted = page.size() < pageSize;
        }
        if (index == page.size()) {
            current = null;
            currentKey = null;
            return false;
        }
        StoredRow row = page.get(index++);
        lastKeyText = row.key();
        current = null;
        currentKey = decoding.key(row.key());
        current = row;
        return true;
    }

    @Override
    public K key() {
        requireCurrent();
        return currentKey;
    }

    @Override
    public P value() {
        requireCurrent();
        return decoding.value(currentKey, current);
    }

    @Override
    public boolean paused() {
        requireCurrent();
        return current.paused();
    }

    @Override
    public OptionalLong revision() {
        requireCurrent();
        return revisions ? OptionalLong.of(current.revision()) : OptionalLong.empty();
    }

    @Override
    public Optional<GroupMembership> group() {
        requireCurrent();
        return current.membership();
    }

    @Override
    public long restartRequests() {
        requireCurrent();
        return current.restartRequests();
    }

    private void requireCurrent() {
        if (current == null) {
            throw new IllegalStateException("the cursor is not on a row: call next() first");
        }
    }

    @Override
    public void close() {
        closed = true;
        page = List.of();
        current = null;
        pages.close();
    }
}
