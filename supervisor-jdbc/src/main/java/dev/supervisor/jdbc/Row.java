package dev.supervisor.jdbc;

import java.util.Objects;

/**
 * One row of the desired-state table, as read, before decoding.
 *
 * @param key the decoded key
 * @param payload the payload column's text; may be null when the column is null
 * @param revision the revision column's value, or 0 when the table has no revision column
 */
public record Row<K>(K key, String payload, long revision) {

    /** Checks that the key is present. */
    public Row {
        Objects.requireNonNull(key, "key");
    }
}
