package dev.supervisor;

import java.util.OptionalLong;

/**
 * A forward-only iteration over a {@link Table}'s rows. Not thread-safe: one thread uses a cursor.
 *
 * @param <K> the key type
 * @param <V> the decoded row value
 */
public interface Cursor<K, V> extends AutoCloseable {

    /** Advances to the next row; false at the end. Throws TableException if iteration fails. */
    boolean next();

    /** The current row's key. */
    K key();

    /**
     * The current row's value, decoded on demand. Throws TableException when this row cannot be
     * decoded: the supervisor then skips this row (and reports it in {@link PassReport#skipped()})
     * and goes on with the next. It treats anything else thrown here the same way, any
     * {@code Exception} and any {@code Error} of user code ({@code StackOverflowError},
     * {@code LinkageError}, ...); only {@code OutOfMemoryError} and the JVM's other
     * {@code VirtualMachineError}s propagate.
     */
    V value();

    /**
     * True if the current row is paused: the supervisor stops its process (if any) and keeps the
     * key in {@link KeyState#PAUSED} until the row is resumed. Read without decoding the value.
     * Default: false (tables without a paused flag never pause).
     */
    default boolean paused() {
        return false;
    }

    /**
     * The current row's revision: a number that changes whenever its value changes (equal
     * revisions mean an unchanged value), read without decoding the value. The supervisor
     * compares it with the revision its process started from to apply updates (see
     * {@link RowUpdates}). Default: empty, meaning "not known": updates are then not detected.
     */
    default OptionalLong revision() {
        return OptionalLong.empty();
    }

    /**
     * The current row's group, if it names one (see {@link GroupMembership}), read without decoding
     * the value. Default: empty (tables without groups: every key on its own).
     */
    default java.util.Optional<GroupMembership> group() {
        return java.util.Optional.empty();
    }

    /**
     * The current row's restart-request counter: a number that grows with each
     * {@link Table#requestRestart} (read without decoding the value). The supervisor remembers the
     * counter of the row each process started from; a row read with another one restarts the key.
     * Default: 0 (tables without such a counter never request restarts).
     */
    default long restartRequests() {
        return 0;
    }

    /** Releases the cursor's resources; never throws a checked exception. */
    @Override
    void close();
}
