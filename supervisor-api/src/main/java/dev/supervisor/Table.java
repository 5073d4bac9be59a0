package dev.supervisor;

import java.util.Collection;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.OptionalLong;

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
     * Key's row with its paused flag, revision, restart-request counter and group, in one read
     * where the table can; empty when there is no row. The supervisor checks a single key (a
     * change signal, {@code start(key)}, a restart) with this call alone, so what it returns is one
     * state of the row, never parts of two. The default wraps {@link #get} in {@link RowState#of}
     * (never paused, no revision) with {@link #group}'s answer (a second read only for tables that
     * override {@code group}); tables with a paused flag, revisions or groups override it, together
     * with {@link Cursor#paused()}, {@link Cursor#revision()} and {@link Cursor#group()}, and then
     * fill {@link RowState#group()} themselves.
     *
     * @throws TableException as {@link #get}
     */
    default Optional<RowState<V>> row(K key) {
        return get(key).map(value -> RowState.of(value).withGroup(group(key)));
    }

    /**
     * The rows of several keys at once, each as {@link #row} gives it; keys without a row are
     * missing from the map. The supervisor reads rows this way when many keys changed at once (a
     * node that won many leases, a burst of signals), in batches of a few hundred, instead of a
     * full pass. The default calls {@link #row} per key; a table that can read many rows in one
     * query should override it.
     *
     * @throws TableException if the rows cannot be read or one of them cannot be decoded (the
     *     supervisor then reads those keys one by one, so one bad row never hurts the others)
     */
    default Map<K, RowState<V>> rows(Collection<? extends K> keys) {
        Map<K, RowState<V>> rows = new LinkedHashMap<>();
        for (K key : keys) {
            row(key).ifPresent(state -> rows.put(key, state));
        }
        return rows;
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
     * Key's group, if its row names one; empty when it names none or there is no row. The
     * supervisor reads a single key's group from {@link #row}'s {@link RowState#group()} (a full
     * pass reads {@link Cursor#group()}); the default {@code row} asks this method, so a table that
     * overrides {@code row} puts the group there itself. Default: empty (no groups).
     *
     * @throws TableException on storage failure
     */
    default Optional<GroupMembership> group(K key) {
        return Optional.empty();
    }

    /**
     * The policy stored for {@code group}, if the table defines groups (e.g. a table of groups
     * beside the rows); a policy given to {@link Supervisor.Builder#group} takes precedence. Read
     * when a member's process ends on its own. Default: empty.
     *
     * @throws TableException on storage failure
     */
    default Optional<GroupPolicy> groupPolicy(String group) {
        return Optional.empty();
    }

    /**
     * The highest revision of any row now, in one cheap read; empty when this table does not
     * number its writes in one sequence that grows with every insert and update (then the
     * supervisor never calls {@link #changedSince} and every periodic pass reads all rows). The
     * default is empty. Where present, 0 for an empty table.
     *
     * @throws TableException on storage failure
     */
    default OptionalLong latestRevision() {
        return OptionalLong.empty();
    }

    /**
     * A cursor over the rows whose revision is greater than {@code revision}, for periodic passes
     * that read only what changed; called only when {@link #latestRevision} is present. Its rows
     * carry their {@link Cursor#revision()}; they may come in any order. Deleted rows are not in
     * it: the change signal reports them, and full passes at the supervisor's resync interval
     * find any it missed. The default throws.
     *
     * @throws UnsupportedOperationException if this table does not track revisions
     * @throws TableException if the cursor cannot be opened
     */
    default Cursor<K, V> changedSince(long revision) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot list changed rows");
    }

    /**
     * Deletes the rows of {@code keys}, in one statement where the table can; keys without a row
     * are ignored. {@link ProcessContext#retire()} calls it with the keys of every process retiring
     * at that moment. The table need not signal these deletions to this object's own subscribers
     * (the supervisor that asked knows of them); other readers of the same rows, other nodes
     * included, learn of them as of any change. The default throws: tables that cannot delete
     * rows keep it, and their processes cannot retire themselves this way.
     *
     * @throws UnsupportedOperationException if this table cannot delete rows
     * @throws TableException on storage failure; then none, some or all of the rows may be gone
     */
    default void removeAll(Collection<? extends K> keys) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot delete rows");
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
