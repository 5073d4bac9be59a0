package dev.supervisor;

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

    /** Releases the cursor's resources; never throws a checked exception. */
    @Override
    void close();
}
