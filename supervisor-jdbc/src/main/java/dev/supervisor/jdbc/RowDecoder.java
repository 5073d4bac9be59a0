package dev.supervisor.jdbc;

/**
 * Turns a stored {@link Row} into the value the supervisor runs (its process {@code P}).
 * Called lazily, once per {@code Cursor.value()} or {@code Table.get}, on the caller's thread;
 * must be thread-safe. Anything it throws fails only that row: the table wraps it in a
 * {@link dev.supervisor.TableException} naming the key.
 *
 * @param <K> the key type
 * @param <P> the decoded value
 */
@FunctionalInterface
public interface RowDecoder<K, P> {

    /** Decodes row; must not return null. */
    P decode(Row<K> row) throws Exception;
}
