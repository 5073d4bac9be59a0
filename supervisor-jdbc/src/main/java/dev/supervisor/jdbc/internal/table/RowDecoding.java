package dev.supervisor.jdbc.internal.table;

import dev.supervisor.TableException;
import dev.supervisor.jdbc.Identifier;
import dev.supervisor.jdbc.KeyCodec;
import dev.supervisor.jdbc.Row;
import dev.supervisor.jdbc.RowDecoder;
import java.util.Objects;

/**
 * Decodes stored rows of one table: keys with the {@link KeyCodec}, values with the user's
 * {@link RowDecoder}. A value that fails to decode fails only its own row. Thread-safe when the
 * codec and decoder are.
 */
public record RowDecoding<K, P>(Identifier table, KeyCodec<K> keys, RowDecoder<K, P> decoder) {

    /** Checks that every part is present. */
    public RowDecoding {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(decoder, "decoder");
    }

    /**
     * The key stored as {@code text}.
     *
     * @throws TableException if the codec cannot read it
     */
    public K key(String text) {
        try {
            return Objects.requireNonNull(keys.decode(text), "the key codec returned null");
        } catch (RuntimeException e) {
            throw new TableException("cannot decode the key '" + text + "' in table " + table + ": " + e.getMessage(), e);
        }
    }

    /**
     * The value of {@code row}, whose key is already decoded.
     *
     * @throws TableException naming the key if the decoder fails or returns null
     */
    public P value(K key, StoredRow row) {
        P value;
        try {
            value = decoder.decode(new Row<>(key, row.payload(), row.revision()));
        } catch (Exception e) {
            throw new TableException(key, "cannot decode the row for key " + key + " in table " + table + ": " + reason(e), e);
        }
        if (value == null) {
            throw new TableException(key, "cannot decode the row for key " + key + " in table " + table
                    + ": the decoder returned null", null);
        }
        return value;
    }

    /** Why the decoder failed, for people: its message (no exception class name), or what it threw when it has none. */
    private static String reason(Exception e) {
        return e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage()
                : "the decoder failed (" + e.getClass().getSimpleName() + ")";
    }
}
