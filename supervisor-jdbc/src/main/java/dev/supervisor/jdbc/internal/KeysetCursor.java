package dev.supervisor.jdbc.internal;

import dev.supervisor.Cursor;
import dev.supervisor.TableException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * A {@link Cursor} that reads a table in key order, one page at a time: each page is a short
 * query on a connection borrowed for that query only ({@code WHERE key > last ORDER BY key LIMIT n}),
 * so no connection is held across a pass and memory holds at most two pages, whatever the
 * table's size. Rows changed while it runs may or may not be seen, like a {@code ResultSet}'s.
 * Values are decoded only when asked for.
 *
 * <p><b>Read-ahead.</b> Given an executor, the cursor asks for the next page as soon as a full
 * page arrives, so that the database reads page n + 1 while the caller works through page n. A
 * failure of that read is thrown by the {@link #next()} that reaches the page, as if it had been
 * read then. {@link #close()} waits for a read still in flight (it is short: one bounded query),
 * so a closed cursor leaves nothing running.
 *
 * <p>Not thread-safe: one thread uses a cursor.
 */
public final class KeysetCursor<K, P> implements Cursor<K, P> {

    /** Reads one page: up to {@code limit} rows after {@code afterKey} (from the start when null). */
    @FunctionalInterface
    public interface PageReader {
        List<StoredRow> read(String afterKey, int limit);
    }

    private final PageReader pages;
    private final RowDecoding<K, P> decoding;
    private final int pageSize;
    private final Executor readAhead;
    private List<StoredRow> page = List.of();
    private CompletableFuture<List<StoredRow>> nextPage;
    private int index;
    private boolean exhausted;
    private boolean closed;
    private String lastKeyText;
    private StoredRow current;
    private K currentKey;

    /** A cursor reading pages of {@code pageSize} rows through {@code pages}, each when it is reached. */
    public KeysetCursor(PageReader pages, RowDecoding<K, P> decoding, int pageSize) {
        this(pages, decoding, pageSize, null);
    }

    /**
     * A cursor reading pages of {@code pageSize} rows through {@code pages}; with a non-null
     * {@code readAhead}, each next page is read on it while the caller works through the current one.
     */
    public KeysetCursor(PageReader pages, RowDecoding<K, P> decoding, int pageSize, Executor readAhead) {
        this.pages = Objects.requireNonNull(pages, "pages");
        this.decoding = Objects.requireNonNull(decoding, "decoding");
        this.pageSize = OptionChecks.atLeastOne("pageSize", pageSize);
        this.readAhead = readAhead;
    }

    @Override
    public boolean next() {
        if (closed) {
            throw new IllegalStateException("the cursor over " + decoding.table() + " is closed");
        }
        if (index == page.size() && !exhausted) {
            page = nextPage != null ? awaitNextPage() : pages.read(lastKeyText, pageSize);
            index = 0;
            exhausted = page.size() < pageSize;
            if (!exhausted && readAhead != null) {
                String after = page.get(page.size() - 1).key();
                nextPage = CompletableFuture.supplyAsync(() -> pages.read(after, pageSize), readAhead);
            }
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

    private List<StoredRow> awaitNextPage() {
        CompletableFuture<List<StoredRow>> read = nextPage;
        nextPage = null;
        try {
            return read.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            nextPage = read; // close() still waits for it
            throw new TableException("interrupted while reading table " + decoding.table(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new TableException("cannot read table " + decoding.table() + ": " + e.getCause(), e.getCause());
        }
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

    private void requireCurrent() {
        if (current == null) {
            throw new IllegalStateException("the cursor is not on a row: call next() first");
        }
    }

    /** Closes the cursor, waiting for a page read still in flight; idempotent. */
    @Override
    public void close() {
        closed = true;
        page = List.of();
        current = null;
        CompletableFuture<List<StoredRow>> read = nextPage;
        nextPage = null;
        if (read != null) {
            try {
                read.join();
            } catch (CancellationException | CompletionException ignored) {
                // the pass is over: a failure of a page nobody will read does not matter
            }
        }
    }
}
