package dev.supervisor.testing;

import dev.supervisor.ChangeListener;
import dev.supervisor.Cursor;
import dev.supervisor.GroupMembership;
import dev.supervisor.GroupPolicy;
import dev.supervisor.RowState;
import dev.supervisor.Subscription;
import dev.supervisor.Table;
import dev.supervisor.TableException;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A thread-safe {@link Table} in memory, for tests and prototypes. It signals its changes to
 * subscribers (like a database table with change notification), can hold rows that fail to
 * decode, and can be told to fail its next cursor.
 *
 * <p>Rows can be paused ({@link #setPaused}) and carry a revision ({@link Cursor#revision()}):
 * {@link #put} of a value not {@code equals} to the row's current one gives the row a new
 * revision, so a supervisor restarts its process with the new value; putting an equal value, or
 * pausing and resuming, keeps the revision. Rows may name a group ({@link #setGroup}) whose policy
 * the table may hold ({@link #putGroupPolicy}).
 * {@link #requestRestart} bumps a row's restart-request counter ({@link Cursor#restartRequests()}),
 * keeping its revision.
 *
 * <p>Its cursor iterates a live view, weakly consistent like {@link ConcurrentHashMap}'s: rows
 * changed during a pass may or may not be seen, as with a real database.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class InMemoryTable<K, V> implements Table<K, V> {

    private final Map<K, Row<V>> rows = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<ChangeListener<? super K>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<RuntimeException> nextCursorFailure = new AtomicReference<>();
    private final AtomicReference<RuntimeException> readFailure = new AtomicReference<>();
    private final AtomicInteger cursorsOpened = new AtomicInteger();
    private final AtomicInteger gets = new AtomicInteger();
    private final AtomicLong revisions = new AtomicLong();
    private final Map<String, GroupPolicy> groupPolicies = new ConcurrentHashMap<>();
    private volatile boolean signalling = true;

    /** An empty table that signals every change. */
    public InMemoryTable() {
    }

    /** Inserts or replaces the row for key, then signals the change. */
    public InMemoryTable<K, V> put(K key, V value) {
        Objects.requireNonNull(value, "value");
        rows.compute(Objects.requireNonNull(key, "key"), (k, old) -> old != null && old.error == null && old.value.equals(value)
                ? old : new Row<>(value, null, old != null && old.paused, revisions.incrementAndGet(), groupOf(old), requests(old)));
        signal(key);
        return this;
    }

    /** Inserts or replaces the row for key with one whose value fails to decode with {@code error}. */
    public InMemoryTable<K, V> putUndecodable(K key, RuntimeException error) {
        Objects.requireNonNull(error, "error");
        rows.compute(Objects.requireNonNull(key, "key"),
                (k, old) -> new Row<>(null, error, old != null && old.paused, revisions.incrementAndGet(), groupOf(old), requests(old)));
        signal(key);
        return this;
    }

    /** Deletes the row for key, then signals the change; true if there was one. */
    public boolean remove(K key) {
        boolean removed = rows.remove(key) != null;
        if (removed) {
            signal(key);
        }
        return removed;
    }

    /** Deletes the rows of keys, signalling each deleted one like {@link #remove}. */
    @Override
    public void removeAll(Collection<? extends K> keys) {
        keys.forEach(this::remove);
    }

    /**
     * Sets or clears key's paused flag (keeping its value and revision), then signals the change.
     *
     * @return false if there is no row for key
     */
    @Override
    public boolean setPaused(K key, boolean paused) {
        Row<V> row = rows.computeIfPresent(Objects.requireNonNull(key, "key"),
                (k, old) -> new Row<>(old.value, old.error, paused, old.revision, old.group, old.restartRequests));
        if (row == null) {
            return false;
        }
        signal(key);
        return true;
    }

    /**
     * Puts key's row (see {@link #put}) in {@code group} at {@code position} (see
     * {@link GroupMembership}), then signals the change; the value and its revision stay.
     *
     * @return false if there is no row for key
     */
    public boolean setGroup(K key, String group, long position) {
        GroupMembership membership = new GroupMembership(group, position);
        return changeGroup(key, membership);
    }

    /** Takes key's row out of its group, then signals the change; false if there is no row for key. */
    public boolean clearGroup(K key) {
        return changeGroup(key, null);
    }

    private boolean changeGroup(K key, GroupMembership membership) {
        Row<V> row = rows.computeIfPresent(Objects.requireNonNull(key, "key"),
                (k, old) -> new Row<>(old.value, old.error, old.paused, old.revision, membership, old.restartRequests));
        if (row == null) {
            return false;
        }
        signal(key);
        return true;
    }

    /**
     * Bumps key's restart-request counter (keeping its value, revision and paused flag), then
     * signals the change: the supervisor running the key restarts it.
     *
     * @return false if there is no row for key
     */
    @Override
    public boolean requestRestart(K key) {
        Row<V> row = rows.computeIfPresent(Objects.requireNonNull(key, "key"),
                (k, old) -> new Row<>(old.value, old.error, old.paused, old.revision, old.group, old.restartRequests + 1));
        if (row == null) {
            return false;
        }
        signal(key);
        return true;
    }

    /** Stores {@code policy} for {@code group}, answered by {@link #groupPolicy} (a table of groups, in memory). */
    public InMemoryTable<K, V> putGroupPolicy(String group, GroupPolicy policy) {
        groupPolicies.put(Objects.requireNonNull(group, "group"), Objects.requireNonNull(policy, "policy"));
        return this;
    }

    @Override
    public Optional<GroupMembership> group(K key) {
        Row<V> row = rows.get(key);
        return row == null ? Optional.empty() : Optional.ofNullable(row.group);
    }

    @Override
    public Optional<GroupPolicy> groupPolicy(String group) {
        return Optional.ofNullable(groupPolicies.get(group));
    }

    private static GroupMembership groupOf(Row<?> row) {
        return row == null ? null : row.group;
    }

    private static long requests(Row<?> old) {
        return old == null ? 0 : old.restartRequests;
    }

    /** True if key's row exists and is paused. */
    public boolean isPaused(K key) {
        Row<V> row = rows.get(key);
        return row != null && row.paused;
    }

    /** True if a row exists for key. */
    public boolean contains(K key) {
        return rows.containsKey(key);
    }

    /** The number of rows. */
    public int size() {
        return rows.size();
    }

    /** Whether changes are signalled to subscribers (default true); off, only passes find changes. */
    public InMemoryTable<K, V> signalling(boolean on) {
        this.signalling = on;
        return this;
    }

    /** Makes the next cursor fail with {@code failure} on its first {@code next()}. */
    public void failNextCursor(RuntimeException failure) {
        nextCursorFailure.set(Objects.requireNonNull(failure, "failure"));
    }

    /**
     * Makes every {@link #get} and {@link #row} fail like a storage failure (a {@link TableException}
     * naming no key, caused by {@code failure}) until called with null: unlike a row that cannot be
     * decoded ({@link #putUndecodable}), the row may be fine.
     */
    public void failReads(RuntimeException failure) {
        readFailure.set(failure);
    }

    private void failIfAsked() {
        RuntimeException failure = readFailure.get();
        if (failure != null) {
            throw new TableException("cannot read the table: " + failure.getMessage(), failure);
        }
    }

    /** How many cursors were opened so far (one per full pass). */
    public int cursorsOpened() {
        return cursorsOpened.get();
    }

    /** How many times {@link #get} was called. */
    public int gets() {
        return gets.get();
    }

    @Override
    public Optional<V> get(K key) {
        gets.incrementAndGet();
        failIfAsked();
        Row<V> row = rows.get(key);
        return row == null ? Optional.empty() : Optional.of(row.decode(key));
    }

    @Override
    public Optional<RowState<V>> row(K key) {
        gets.incrementAndGet();
        failIfAsked();
        Row<V> row = rows.get(key);
        return row == null ? Optional.empty()
                : Optional.of(new RowState<>(row.decode(key), row.paused, OptionalLong.of(row.revision), row.restartRequests,
                        Optional.ofNullable(row.group)));
    }

    @Override
    public Cursor<K, V> cursor() {
        cursorsOpened.incrementAndGet();
        RuntimeException failure = nextCursorFailure.getAndSet(null);
        Iterator<Map.Entry<K, Row<V>>> iterator = rows.entrySet().iterator();
        return new Cursor<>() {
            private Map.Entry<K, Row<V>> current;

            @Override
            public boolean next() {
                if (failure != null) {
                    throw new TableException("cursor failed", failure);
                }
                current = iterator.hasNext() ? iterator.next() : null;
                return current != null;
            }

            @Override
            public K key() {
                return requireCurrent().getKey();
            }

            @Override
            public V value() {
                Map.Entry<K, Row<V>> entry = requireCurrent();
                return entry.getValue().decode(entry.getKey());
            }

            @Override
            public boolean paused() {
                return requireCurrent().getValue().paused;
            }

            @Override
            public OptionalLong revision() {
                return OptionalLong.of(requireCurrent().getValue().revision);
            }

            @Override
            public Optional<GroupMembership> group() {
                return Optional.ofNullable(requireCurrent().getValue().group);
            }

            @Override
            public long restartRequests() {
                return requireCurrent().getValue().restartRequests;
            }

            private Map.Entry<K, Row<V>> requireCurrent() {
                if (current == null) {
                    throw new IllegalStateException("the cursor is not on a row: call next() first");
                }
                return current;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public Subscription subscribe(ChangeListener<? super K> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void signal(K key) {
        if (signalling) {
            for (ChangeListener<? super K> listener : listeners) {
                listener.rowChanged(key);
            }
        }
    }

    private record Row<V>(V value, RuntimeException error, boolean paused, long revision, GroupMembership group,
                          long restartRequests) {
        V decode(Object key) {
            if (error != null) {
                throw new TableException(key, "cannot decode the row for key " + key + ": " + error.getMessage(), error);
            }
            return value;
        }
    }
}
