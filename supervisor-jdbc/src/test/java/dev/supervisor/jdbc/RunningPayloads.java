package dev.supervisor.jdbc;

import dev.supervisor.Runner;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runners that show, while they run, the payload each was started with ({@link #running}): a
 * test reads it to see which value of a row runs now.
 *
 * @param <K> the key type
 */
final class RunningPayloads<K> {

    /** Each running key's payload; a key leaves once its process has ended. */
    final Map<K, String> running = new ConcurrentHashMap<>();

    /** Decodes a row into a runner that is in {@link #running} from ready until it is stopped. */
    RowDecoder<K, Runner> decoder() {
        return row -> context -> {
            running.put(row.key(), row.payload());
            context.ready();
            try {
                context.awaitStop();
            } finally {
                running.remove(row.key(), row.payload());
            }
        };
    }
}
