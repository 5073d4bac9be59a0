package dev.supervisor;

/**
 * Receives a {@link Table}'s change signals. Both methods must return quickly and never throw;
 * they are hints that make the supervisor reconcile early, not a source of truth.
 *
 * @param <K> the key type
 */
public interface ChangeListener<K> {

    /** The row for key may have been inserted, updated or deleted. */
    void rowChanged(K key);

    /** Rows may have changed, and the table does not know which: reconcile everything. */
    void tableChanged();
}
