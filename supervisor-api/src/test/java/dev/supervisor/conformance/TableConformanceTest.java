package dev.supervisor.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervisor.Cursor;
import dev.supervisor.Subscription;
import dev.supervisor.Table;
import dev.supervisor.TableException;
import dev.supervisor.testsupport.Waits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link Table} and {@link Cursor} that the supervisor relies on, run against
 * every implementation: a subclass provides a fresh, empty table of String keys whose values are
 * the stored payload strings, where a payload starting with {@code "bad"} fails to decode.
 * Shipped in supervisor-api's test jar; {@code InMemoryTable} and {@code JdbcTable} (H2 and
 * PostgreSQL) run it.
 */
@Timeout(60)
public abstract class TableConformanceTest {

    /** The table under test; the same instance for the whole test method. */
    protected abstract Table<String, String> table();

    /** Inserts or replaces key's row, as the table's owner would (a payload starting with "bad" will not decode). */
    protected abstract void write(String key, String payload);

    /** Deletes key's row, if any. */
    protected abstract void delete(String key);

    @Test
    void getOfAKeyWithoutARowIsEmpty() {
        assertThat(table().get("nobody")).isEmpty();
    }

    @Test
    void getSeesInsertsReplacementsAndDeletes() {
        write("a", "first");
        assertThat(table().get("a")).contains("first");
        write("a", "second");
        assertThat(table().get("a")).contains("second");
        delete("a");
        assertThat(table().get("a")).isEmpty();
    }

    @Test
    void aCursorReturnsEveryRowOnceThenEnds() {
        Map<String, String> written = new TreeMap<>();
        for (int i = 0; i < 600; i++) { // more than one page of a paging cursor
            written.put("k" + i, "v" + i);
            write("k" + i, "v" + i);
        }
        Map<String, String> seen = new TreeMap<>();
        try (Cursor<String, String> cursor = table().cursor()) {
            while (cursor.next()) {
                assertThat(seen.put(cursor.key(), cursor.value())).as("seen twice: " + cursor.key()).isNull();
            }
            assertThat(cursor.next()).as("still at the end").isFalse();
        }
        assertThat(seen).isEqualTo(written);
    }

    @Test
    void aCursorOverAnEmptyTableEndsAtOnce() {
        try (Cursor<String, String> cursor = table().cursor()) {
            assertThat(cursor.next()).isFalse();
        }
    }

    @Test
    void anUndecodableRowFailsOnlyItsOwnValueAndNamesItsKey() {
        write("a", "fine");
        write("b", "bad payload");
        write("c", "also fine");
        Map<String, String> decoded = new TreeMap<>();
        List<String> keys = new ArrayList<>();
        List<TableException> failures = new ArrayList<>();
        try (Cursor<String, String> cursor = table().cursor()) {
            while (cursor.next()) {
                keys.add(cursor.key()); // the key is readable without decoding the value
                try {
                    decoded.put(cursor.key(), cursor.value());
                } catch (TableException e) {
                    failures.add(e);
                }
            }
        }
        assertThat(keys).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(decoded).containsOnlyKeys("a", "c");
        assertThat(failures).singleElement().satisfies(e -> {
            assertThat(e.key()).isEqualTo("b");
            assertThat(e.getMessage()).contains("b");
        });
        assertThatThrownBy(() -> table().get("b")).isInstanceOf(TableException.class)
                .satisfies(e -> assertThat(((TableException) e).key()).isEqualTo("b"));
        assertThat(table().get("a")).contains("fine");
    }

    @Test
    void aCursorClosedEarlyLeavesTheTableUsable() {
        for (int i = 0; i < 10; i++) {
            write("k" + i, "v" + i);
        }
        try (Cursor<String, String> cursor = table().cursor()) {
            assertThat(cursor.next()).isTrue();
        }
        int rows = 0;
        try (Cursor<String, String> cursor = table().cursor()) {
            while (cursor.next()) {
                rows++;
            }
        }
        assertThat(rows).isEqualTo(10);
        assertThat(table().get("k3")).contains("v3");
    }

    @Test
    void aSubscriptionCanBeClosed() {
        Subscription subscription = table().subscribe(new dev.supervisor.ChangeListener<>() {
            @Override
            public void rowChanged(String key) {
            }

            @Override
            public void tableChanged() {
            }
        });
        assertThat(subscription).isNotNull();
        subscription.close();
        write("after", "close");
        assertThat(table().get("after")).contains("close");
    }

    @Test
    void concurrentReadersWhileRowsChangeSeeOnlyWholeRows() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> writer = threads.submit(() -> {
                for (int round = 0; round < 20; round++) {
                    for (int i = 0; i < 20; i++) {
                        if ((round + i) % 3 == 0) {
                            delete("k" + i);
                        } else {
                            write("k" + i, "v" + i + "-" + round);
                        }
                    }
                }
                writing.set(false);
                return null;
            });
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                readers.add(threads.submit(() -> {
                    while (writing.get()) {
                        Optional<String> value = table().get("k7");
                        value.ifPresent(v -> assertThat(v).startsWith("v7-"));
                        try (Cursor<String, String> cursor = table().cursor()) {
                            while (cursor.next()) {
                                String key = cursor.key();
                                assertThat(cursor.value()).startsWith("v" + key.substring(1) + "-");
                            }
                        }
                    }
                    return null;
                }));
            }
            writer.get(Waits.LOAD.toSeconds(), TimeUnit.SECONDS);
            for (Future<?> reader : readers) {
                reader.get(Waits.LOAD.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }
}
