package dev.supervisor.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervisor.TableException;
import dev.supervisor.jdbc.Identifier;
import dev.supervisor.jdbc.KeyCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cursor's read-ahead, against a page reader the test controls. */
class KeysetCursorTest {

    private static final RowDecoding<String, String> DECODING =
            new RowDecoding<>(Identifier.of("jobs"), KeyCodec.STRING, row -> row.payload());
    private static final Executor VIRTUAL = task -> Thread.ofVirtual().start(task);

    /**
     * Keys k000..k(rows-1), in pages; the read of the page after {@code failAfter} fails once,
     * and the read of the page after {@code holdAfter} waits for {@code release}.
     */
    private static final class Pages implements KeysetCursor.PageReader {
        final int rows;
        final AtomicInteger reads = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);
        volatile String failAfter;
        volatile String holdAfter;

        Pages(int rows) {
            this.rows = rows;
        }

        @Override
        public List<StoredRow> read(String afterKey, int limit) {
            if (afterKey != null && afterKey.equals(holdAfter)) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            reads.incrementAndGet();
            if (afterKey != null && afterKey.equals(failAfter)) {
                failAfter = null;
                throw new TableException("cannot read table jobs: connection reset", null);
            }
            int from = afterKey == null ? 0 : Integer.parseInt(afterKey.substring(1)) + 1;
            List<StoredRow> page = new ArrayList<>();
            for (int i = from; i < Math.min(rows, from + limit); i++) {
                page.add(new StoredRow(String.format("k%03d", i), "v" + i, i));
            }
            return page;
        }
    }

    @Test
    void aFailedReadAheadIsThrownWhenItsPageIsReachedAndTheNextCallReadsAgain() {
        Pages pages = new Pages(25);
        pages.failAfter = "k009";
        try (KeysetCursor<String, String> cursor = new KeysetCursor<>(pages, DECODING, 10, VIRTUAL)) {
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                assertThat(cursor.next()).isTrue();
                keys.add(cursor.key());
            }
            assertThatThrownBy(cursor::next).isInstanceOf(TableException.class).hasMessageContaining("connection reset");
            while (cursor.next()) {
                keys.add(cursor.key());
            }
            assertThat(keys).hasSize(25).doesNotHaveDuplicates().isSorted();
        }
    }

    @Test
    void closeWaitsForAReadStillInFlight() throws Exception {
        Pages pages = new Pages(100);
        pages.holdAfter = "k019";
        KeysetCursor<String, String> cursor = new KeysetCursor<>(pages, DECODING, 10, VIRTUAL);
        for (int i = 0; i < 11; i++) {
            assertThat(cursor.next()).isTrue(); // pages 1 and 2; page 3 asked for, and held
        }
        AtomicBoolean closed = new AtomicBoolean();
        Thread closer = Thread.ofVirtual().start(() -> {
            cursor.close();
            closed.set(true);
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> closer.getState() == Thread.State.WAITING);
        assertThat(closed).isFalse();

        pages.release.countDown();
        assertThat(closer.join(Duration.ofSeconds(10))).isTrue();
        assertThat(closed).isTrue();
        assertThat(pages.reads).hasValue(3);
    }

    @Test
    void withoutAnExecutorEachPageIsReadWhenReached() {
        Pages pages = new Pages(30);
        try (KeysetCursor<String, String> cursor = new KeysetCursor<>(pages, DECODING, 10)) {
            int rows = 0;
            while (cursor.next()) {
                rows++;
                assertThat(pages.reads.get()).isEqualTo((rows + 9) / 10);
            }
            assertThat(rows).isEqualTo(30);
            assertThat(pages.reads).hasValue(4); // 3 full pages and an empty one
        }
    }

    @Test
    void aCursorInterruptedWhileWaitingForItsNextPageSaysSoAndKeepsTheInterrupt() throws Exception {
        Pages pages = new Pages(100);
        pages.holdAfter = "k019";
        KeysetCursor<String, String> cursor = new KeysetCursor<>(pages, DECODING, 10, VIRTUAL);
        for (int i = 0; i < 20; i++) {
            assertThat(cursor.next()).isTrue(); // pages 1 and 2; page 3 asked for, and held
        }
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                cursor.next();
            } catch (TableException e) {
                failures.add(e);
                interrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> waiter.getState() == Thread.State.WAITING);
        waiter.interrupt();
        assertThat(waiter.join(Duration.ofSeconds(10))).isTrue();
        assertThat(failures).singleElement()
                .satisfies(e -> assertThat(e).hasMessageContaining("interrupted while reading table jobs"));
        assertThat(interrupted).isTrue();

        pages.release.countDown();
        cursor.close(); // waits for the held read
        assertThat(pages.reads).hasValue(3);
    }
}
