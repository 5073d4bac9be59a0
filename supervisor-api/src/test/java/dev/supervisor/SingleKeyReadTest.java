package dev.supervisor;

import static dev.supervisor.Waiting.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testing.ManualClock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Checking one key ({@code start(key)}, a change signal naming it) reads the table once:
 * {@link Table#row}, whose {@link RowState#group()} carries the key's group, never a second read
 * of {@link Table#group} that could see another state of the row.
 */
@Timeout(30)
class SingleKeyReadTest {

    private final InMemoryTable<String, Runner> rows = new InMemoryTable<String, Runner>().signalling(false);
    private final CountingTable table = new CountingTable(rows);
    private final Supervisor<String, Runner> supervisor = Supervisor.builder(table).clock(new ManualClock())
            .reconcileInterval(Duration.ofHours(1)).group("g", GroupPolicy.oneForAll(3, Duration.ofMinutes(1))).build();

    @AfterEach
    void close() {
        supervisor.close();
    }

    private static Runner idle() {
        return context -> {
            context.ready();
            context.awaitStop();
        };
    }

    /** Puts key's row in group g, unseen by the supervisor (no signal), and forgets the reads so far. */
    private void putInGroup(String key) {
        rows.put(key, idle());
        rows.setGroup(key, "g", 1);
        table.rowReads.set(0);
        table.groupReads.set(0);
    }

    @Test
    void startReadsTheRowOnceAndTakesTheGroupFromIt() {
        supervisor.launch();
        putInGroup("a");

        supervisor.start("a");

        assertThat(table.rowReads).as("reads of the row").hasValue(1);
        assertThat(table.groupReads).as("separate reads of the group").hasValue(0);
        assertThat(supervisor.group("g").orElseThrow().members()).containsExactly("a");
    }

    @Test
    void aSignalForOneKeyReadsTheRowOnceAndTakesTheGroupFromIt() {
        supervisor.launch();
        putInGroup("b");

        table.listener.get().rowChanged("b");

        waiting().until(() -> supervisor.status("b").map(ProcessStatus::state).orElse(null) == KeyState.RUNNING);
        assertThat(table.rowReads).as("reads of the row").hasValue(1);
        assertThat(table.groupReads).as("separate reads of the group").hasValue(0);
        assertThat(supervisor.group("g").orElseThrow().members()).containsExactly("b");
    }

    /** The in-memory table, counting single-key reads; its change listener is kept for the test to call. */
    private static final class CountingTable implements Table<String, Runner> {
        final InMemoryTable<String, Runner> rows;
        final AtomicInteger rowReads = new AtomicInteger();
        final AtomicInteger groupReads = new AtomicInteger();
        final AtomicReference<ChangeListener<? super String>> listener = new AtomicReference<>();

        CountingTable(InMemoryTable<String, Runner> rows) {
            this.rows = rows;
        }

        @Override
        public Optional<Runner> get(String key) {
            rowReads.incrementAndGet();
            return rows.get(key);
        }

        @Override
        public Cursor<String, Runner> cursor() {
            return rows.cursor();
        }

        @Override
        public Optional<RowState<Runner>> row(String key) {
            rowReads.incrementAndGet();
            return rows.row(key);
        }

        @Override
        public Optional<GroupMembership> group(String key) {
            groupReads.incrementAndGet();
            return rows.group(key);
        }

        @Override
        public Subscription subscribe(ChangeListener<? super String> changes) {
            listener.set(changes);
            return Subscription.NONE;
        }
    }
}
