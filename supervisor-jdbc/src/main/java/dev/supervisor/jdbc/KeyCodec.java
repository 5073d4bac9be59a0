package dev.supervisor.jdbc;

import java.util.Objects;
import java.util.function.Function;

/**
 * How keys are stored in the key column, which holds text. Rows are paged in the order of their
 * stored text. Implementations are thread-safe; {@link #decode} may throw for text it does not
 * understand, which fails the cursor's pass (a key that cannot be read cannot be skipped by key).
 *
 * @param <K> the key type
 */
public interface KeyCodec<K> {

    /** Keys that are strings, stored as they are. */
    KeyCodec<String> STRING = of(Function.identity(), Function.identity());

    /** The stored text of key. */
    String encode(K key);

    /** The key stored as text. */
    K decode(String text);

    /** A codec from two functions. */
    static <K> KeyCodec<K> of(Function<? super K, String> encode, Function<String, ? extends K> decode) {
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
        };
    }
}
