package dev.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testsupport.Waits;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many keys signalled at once (a node that won thousands of leases in one claim round) are read
 * in batches through {@link Table#rows}, not by a full pass over the whole table, and a batch that
 * cannot be read as a whole is read key by key, so one bad row hurts no other.
 */
@Timeout(60)
class ManyChangedKeysTest {

    private static final int ROWS = 3_000;
    private static final int WON = 1_000;

    private static final Runner IDLE = context -> {
        context.ready();
        context.awaitStop();
    };

    @Test
    void keysWonInBulkAreReadInBatchesWithoutAFullPass() throws Exception {
        CountingTable table = new CountingTable();
        for (int i = 0; i < ROWS; i++) {
            table.live.put("k" + i, IDLE);
        }
        GrantedKeys ownership = new GrantedKeys();
        try (Supervisor<String, Runner> supervisor = Supervisor.builder(table).ownership(ownership)
                .reconcileInterval(Duration.ofHours(1)).build()) {
            supervisor.launch(); // its full pass finds no key this node may run
            assertThat(table.cursors.get()).isEqualTo(1);
            assertThat(supervisor.keys()).isEmpty();

            ownership.grant("k0"); // the loop's first round reads k0 and waits there ...
            assertThat(table.firstReadBegun.await(Waits.SHORT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i < WON; i++) {
                ownership.grant("k" + i); // ... while the other 999 keys pile up for its next round
            }
            table.firstReadMayEnd.countDown();

            await().atMost(Waits.SHORT).until(() -> supervisor.keys().size() == WON);
            assertThat(table.cursors.get()).as("no full pass over the %d rows", ROWS).isEqualTo(1);
            assertThat(table.batchReads.get()).as("%d keys read %d at a time", WON - 1, 256)
                    .isBetween((WON - 1) / 256, (WON - 1) / 256 + 2);
        }
    }

    @Test
    void aBatchWithAnUnreadableRowIsReadKeyByKey() {
        CountingTable table = new CountingTable();
        table.firstReadMayEnd.countDown();
        for (int i = 0; i < 600; i++) {
            table.live.put("k" + i, IDLE);
        }
        table.unreadable.add("k7");
        GrantedKeys ownership = new GrantedKeys();
        try (Supervisor<String, Runner> supervisor = Supervisor.builder(table).ownership(ownership)
                .reconcileInterval(Duration.ofHours(1)).build()) {
            supervisor.launch();
            for (int i = 0; i < 600; i++) {
                ownership.grant("k" + i);
            }
            await().atMost(Waits.SHORT).until(() -> supervisor.keys().size() == 599);
            assertThat(supervisor.keys()).doesNotContain("k7");
            assertThat(supervisor.status("k7")).hasValueSatisfying(status -> assertThat(status.state()).isEqualTo(KeyState.INVALID));
        }
    }

    /** An in-memory table that counts full cursors and batch reads, and can hold its first read. */
    private static final class CountingTable implements Table<String, Runner> {
        final InMemoryTable<String, Runner> live = new InMemoryTable<>();
        final AtomicInteger cursors = new AtomicInteger();
        final AtomicInteger batchReads = new AtomicInteger();
        final CountDownLatch firstReadBegun = new CountDownLatch(1);
        final CountDownLatch firstReadMayEnd = new CountDownLatch(1);
        final Set<String> unreadable = ConcurrentHashMap.newKeySet();

        @Override
        public Optional<Runner> get(String key) {
            return live.get(key);
        }

        @Override
        public Optional<RowState<Runner>> row(String key) {
            holdFirstRead();
            if (unreadable.contains(key)) {
                throw new TableException(key, "cannot be decoded", null);
            }
            return live.row(key);
        }

        @Override
        public Map<String, RowState<Runner>> rows(Collection<? extends String> keys) {
            holdFirstRead();
            batchReads.incrementAndGet();
            if (keys.stream().anyMatch(unreadable::contains)) {
                throw new TableException("a row of the batch cannot be decoded", null);
            }
            return live.rows(keys);
        }

        @Override
        public Cursor<String, Runner> cursor() {
            cursors.incrementAndGet();
            return live.cursor();
        }

        @Override
        public OptionalLong latestRevision() {
            return live.latestRevision();
        }

        private void holdFirstRead() {
            firstReadBegun.countDown();
            try {
                firstReadMayEnd.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Grants keys one at a time, telling the supervisor as a lease ownership would. */
    private static final class GrantedKeys implements Ownership<String> {
        private final Set<String> granted = ConcurrentHashMap.newKeySet();
        private volatile Control<String> control;

        @Override
        public void open(Control<String> control) {
            this.control = control;
        }

        void grant(String key) {
            granted.add(key);
            control.acquired(key);
        }

        @Override
        public OptionalLong tryAcquire(String key) {
            return granted.contains(key) ? OptionalLong.of(1) : OptionalLong.empty();
        }
    }
}
