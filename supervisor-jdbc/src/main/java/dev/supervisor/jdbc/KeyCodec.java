package dev.supervisor.jdbc;

import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * How keys are stored in the key column: as text the codec writes and reads, bound to the column's
 * own SQL type ({@link #columnType()}): a text column, an integer column ({@code integer},
 * {@code bigint}) or a UUID column. {@link JdbcTable.Builder#build()} checks the codec against the
 * column's actual type and refuses a mismatch. Rows are paged in the column's order.
 * Implementations are thread-safe; {@link #decode} may throw for text it does not understand,
 * which fails the cursor's pass (a key that cannot be read cannot be skipped by key).
 *
 * @param <K> the key type
 */
public interface KeyCodec<K> {

    /** Keys that are strings, stored as they are in a text column. */
    KeyCodec<String> STRING = of(Function.identity(), Function.identity());

    /** Keys that are numbers, in an {@code integer} or {@code bigint} column. */
    KeyCodec<Long> LONG = of(ColumnType.INTEGER, String::valueOf, Long::valueOf);

    /** Keys that are UUIDs, in a {@code uuid} column. */
    KeyCodec<UUID> UUID = of(ColumnType.UUID, java.util.UUID::toString, java.util.UUID::fromString);

    /** The kind of SQL column a codec's keys live in; the text of a key is bound as a value of that type. */
    enum ColumnType {
        /** {@code varchar}, {@code text}, {@code char}: the text as it is. */
        TEXT,
        /** {@code smallint}, {@code integer}, {@code bigint}: the text read as a {@code long}. */
        INTEGER,
        /** {@code uuid}: the text read as a {@link java.util.UUID}. */
        UUID
    }

    /** The stored text of key. */
    String encode(K key);

    /** The key stored as text. */
    K decode(String text);

    /** The kind of column the keys are stored in; default {@link ColumnType#TEXT}. */
    default ColumnType columnType() {
        return ColumnType.TEXT;
    }

    /** A codec for a text column, from two functions. */
    static <K> KeyCodec<K> of(Function<? super K, String> encode, Function<String, ? extends K> decode) {
        return of(ColumnType.TEXT, encode, decode);
    }

    /**
     * A codec for a column of {@code type}, from two functions; the text encode makes must be a
     * value of that type ({@link Long#parseLong} or {@link java.util.UUID#fromString} reads it).
     */
    static <K> KeyCodec<K> of(ColumnType type, Function<? super K, String> encode, Function<String, ? extends K> decode) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(encode, "encode");
        Objects.requireNonNull(decode, "decode");
        return new KeyCodec<>() {
            @Override
            public String encode(K key) {
                return encode.apply(key);
            }

            @Override
            public K decode(String text) {
                return decode.apply(text);
            }

            @Override
            public ColumnType columnType() {
                return type;
            }

            @Override
            public String toString() {
                return "KeyCodec[" + type + "]";
            }
        };
    }
}
