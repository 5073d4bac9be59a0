package dev.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testing.ManualClock;
import dev.supervisor.testsupport.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Periodic passes on a table that lists its changed rows ({@link Table#changedSince}) read only
 * those rows, from a watermark that lags one pass behind, and a full pass runs every resync
 * interval. The table here is in memory with its change signal off, so only passes find changes;
 * it can hold rows back, as a database does with a transaction not yet committed.
 */
@Timeout(30)
class IncrementalPassTest {

    private static final Duration INTERVAL = Duration.ofSeconds(60);
    private static final Duration RESYNC = Duration.ofMinutes(10);
    private static final Duration WAIT = Waits.SHORT;

    private final ManualClock clock = new ManualClock();
    private final InMemoryTable<String, Runner> live = new InMemoryTable<String, Runner>().signalling(false);
    private final RevisionedTable table = new RevisionedTable(live);
    private final List<PassReport<String>> passes = new CopyOnWriteArrayList<>();
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private Supervisor<String, Runner> supervisor;

    @AfterEach
    void close() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    private Runner idle(String key) {
        return context -> {
            started.add(key);
            context.ready();
            context.awaitStop();
        };
    }

    private void launch() {
        supervisor = Supervisor.builder(table).clock(clock).reconcileInterval(INTERVAL).resyncInterval(RESYNC)
                .listener(new SupervisorListener<>() {
                    @Override
                    public void passCompleted(PassReport<String> report) {
                        passes.add(report);
                    }
                }).build();
        supervisor.launch();
        await().atMost(WAIT).until(() -> passes.size() == 1);
    }

    /** Advances the clock by {@code by} and returns the pass that this triggers. */
    private PassReport<String> passAfter(Duration by) {
        int before = passes.size();
        clock.advance(by);
        await().atMost(WAIT).until(() -> passes.size() > before);
        return passes.getLast();
    }

    @Test
    void periodicPassesReadOnlyTheRowsChangedSinceAndStartThem() {
        live.put("a", idle("a")).put("b", idle("b"));
        launch();
        assertThat(passes.getFirst().incremental()).isFalse();
        int fullCursors = table.fullCursors;

        live.put("c", idle("c"));
        PassReport<String> first = passAfter(INTERVAL);
        assertThat(first.incremental()).isTrue();
        assertThat(first.rowsSeen()).as("only c changed").isEqualTo(1);
        assertThat(first.started()).isEqualTo(1);
        await().atMost(WAIT).until(() -> started.contains("c"));

        assertThat(passAfter(INTERVAL).rowsSeen()).as("c again: the watermark lags one pass").isEqualTo(1);
        assertThat(passAfter(INTERVAL).rowsSeen()).as("nothing changed").isZero();
        assertThat(table.fullCursors).as("no full read of the table").isEqualTo(fullCursors);
        assertThat(supervisor.keys()).containsExactlyInAnyOrder("a", "b", "c");
    }

    /**
     * A row whose revision is below one already seen appears (its transaction took the revision
     * first and committed last): the next pass still reads it, since each pass reads from where
     * the one before it began.
     */
    @Test
    void aRowCommittedAfterARowWithAHigherRevisionIsStillFound() {
        live.put("a", idle("a"));
        launch();
        table.holdBack("late");
        live.put("late", idle("late"));     // takes its revision first, but is not visible yet
        live.put("early", idle("early"));   // a higher revision, visible at once
        PassReport<String> sawEarly = passAfter(INTERVAL);
        assertThat(sawEarly.rowsSeen()).isEqualTo(1);
        await().atMost(WAIT).until(() -> started.contains("early"));

        table.release("late");              // commits now, below the highest revision seen
        PassReport<String> next = passAfter(INTERVAL);
        assertThat(next.incremental()).isTrue();
        await().atMost(WAIT).until(() -> started.contains("late"));
        assertThat(supervisor.keys()).containsExactlyInAnyOrder("a", "early", "late");
    }

    /** Incremental passes do not see deletions; without a change signal the full resync retires them. */
    @Test
    void aDeletionWithoutASignalIsRetiredByTheFullResync() {
        live.put("a", idle("a")).put("b", idle("b"));
        launch();
        live.remove("b");
        assertThat(passAfter(INTERVAL).retired()).isZero();
        assertThat(supervisor.keys()).contains("b");

        clock.advance(RESYNC);
        await().atMost(WAIT).until(() -> passes.stream().anyMatch(pass -> !pass.incremental() && pass.retired() == 1));
        await().atMost(WAIT).until(() -> supervisor.keys().equals(Set.of("a")));
    }

    @Test
    void aTableWithoutRevisionsGetsAFullPassEveryInterval() {
        live.put("a", idle("a"));
        supervisor = Supervisor.builder((Table<String, Runner>) live).clock(clock).reconcileInterval(INTERVAL)
                .listener(new SupervisorListener<>() {
                    @Override
                    public void passCompleted(PassReport<String> report) {
                        passes.add(report);
                    }
                }).build();
        supervisor.launch();
        await().atMost(WAIT).until(() -> passes.size() == 1);
        PassReport<String> periodic = passAfter(INTERVAL);
        assertThat(periodic.incremental()).isFalse();
        assertThat(periodic.rowsSeen()).isEqualTo(1);
    }

    /**
     * An in-memory table that lists changed rows by revision, and can hold rows back (invisible to
     * every read) as a database does until their transaction commits.
     */
    static final class RevisionedTable implements Table<String, Runner> {
        private final InMemoryTable<String, Runner> live;
        private final Set<String> heldBack = ConcurrentHashMap.newKeySet();
        volatile int fullCursors;

        RevisionedTable(InMemoryTable<String, Runner> live) {
            this.live = live;
        }

        void holdBack(String key) {
            heldBack.add(key);
        }

        void release(String key) {
            heldBack.remove(key);
        }

        @Override
        public Optional<Runner> get(String key) {
            return heldBack.contains(key) ? Optional.empty() : live.get(key);
        }

        @Override
        public Optional<RowState<Runner>> row(String key) {
            return heldBack.contains(key) ? Optional.empty() : live.row(key);
        }

        @Override
        public Cursor<String, Runner> cursor() {
            fullCursors++;
            return rows(Long.MIN_VALUE);
        }

        @Override
        public OptionalLong latestRevision() {
            long latest = 0;
            try (Cursor<String, Runner> all = rows(Long.MIN_VALUE)) {
                while (all.next()) {
                    latest = Math.max(latest, all.revision().getAsLong());
                }
            }
            return OptionalLong.of(latest);
        }

        @Override
        public Cursor<String, Runner> changedSince(long revision) {
            return rows(revision);
        }

        private Cursor<String, Runner> rows(long above) {
            record Seen(String key, Runner value, long revision) {
            }
            List<Seen> rows = new ArrayList<>();
            try (Cursor<String, Runner> all = live.cursor()) {
                while (all.next()) {
                    long revision = all.revision().getAsLong();
                    if (!heldBack.contains(all.key()) && revision > above) {
                        rows.add(new Seen(all.key(), all.value(), revision));
                    }
                }
            }
            return new Cursor<>() {
                private int at = -1;

                @Override
                public boolean next() {
                    return ++at < rows.size();
                }

                @Override
                public String key() {
                    return rows.get(at).key();
                }

                @Override
                public Runner value() {
                    return rows.get(at).value();
                }

                @Override
                public OptionalLong revision() {
                    return OptionalLong.of(rows.get(at).revision());
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
