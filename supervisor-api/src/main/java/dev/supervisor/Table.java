package dev.supervisor;

import java.util.Optional;

/**
 * The desired state: one row per key that should have a running process.
 *
 * <p>Implementations must be thread-safe: the supervisor reads from its reconcile loop, from
 * restart timers and from callers of {@link Supervisor#start(Object)} at the same time.
 *
 * @param <K> the key type; must implement {@code equals}/{@code hashCode}
 * @param <V> the decoded row value (for a supervisor, the process {@code P})
 */
public interface Table<K, V> {

    /**
     * The value stored for key, or empty when there is no row.
     *
     * @throws TableException on storage failure, or when the row exists but cannot be decoded
     */
    Optional<V> get(K key);

    /**
     * A cursor over the rows; not necessarily a consistent snapshot (like {@code java.sql.ResultSet}).
     * The caller closes it.
     *
     * @throws TableException if the cursor cannot be opened
     */
    Cursor<K, V> cursor();

    /**
     * Key's row with its paused flag and revision, in one read; empty when there is no row. The
     * default wraps {@link #get} in {@link RowState#of} (never paused, no revision); tables with a
     * paused flag or revisions override it, together with {@link Cursor#paused()} and
     * {@link Cursor#revision()}.
     *
     * @throws TableException as {@link #get}
     */
    default Optional<RowState<V>> row(K key) {
        return get(key).map(RowState::of);
    }

    /**
     * Sets or clears key's paused flag (what {@link Supervisor#pause} and {@link Supervisor#resume}
     * write), then signals the change like any other write. The default throws: tables without a
     * paused flag cannot be paused.
     *
     * @return false if there is no row for key
     * @throws UnsupportedOperationException if this table has no paused flag
     * @throws TableException on storage failure
     */
    default boolean setPaused(K key, boolean paused) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no paused flag");
    }

    /**
     * Asks for a restart of key's process through the table: bumps the row's restart-request
     * counter ({@link Cursor#restartRequests()}, {@link RowState#restartRequests()}), then signals
     * the change like any other write. Whichever supervisor runs the key (on this node or another
     * one, and whether or not it applies {@link RowUpdates}) sees the counter change and restarts the
     * process: graceful stop, immediate start with the current row, not a failure, backoff untouched
     * ({@link StopCause#RESTART}); a key waiting in backoff, given up or completed is started at once.
     * A paused row is not restarted. This is how another process, or a node that does not run the key,
     * restarts it. The default throws: tables without such a counter cannot take restart requests.
     *
     * @return false if there is no row for key
     * @throws UnsupportedOperationException if this table has no restart-request counter
     * @throws TableException on storage failure
     */
    default boolean requestRestart(K key) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no restart-request counter");
    }

    /**
     * Asks the table to tell {@code listener} when rows change, so that a supervisor reconciles at
     * once instead of waiting for its next periodic pass. Tables that cannot notice changes keep
     * this default, which never calls the listener; periodic passes still find every change.
     *
     * <p>The listener may be called from any thread, must not block, and may be told about
     * changes that did not happen (a spurious signal costs a read, never correctness).
     *
     * @return a subscription; closing it stops the signals
     */
    default Subscription subscribe(ChangeListener<? super K> listener) {
        return Subscription.NONE;
    }
}
