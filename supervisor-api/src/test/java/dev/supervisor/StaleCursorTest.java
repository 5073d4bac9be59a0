package dev.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testing.ManualClock;
import dev.supervisor.testsupport.Waits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A cursor is not a snapshot of the moment a key is checked: a page read early in a pass can
 * still list a row that a process deleted (retiring itself) before the pass reached it. Such a
 * key must not be started again. And keys leave the supervisor while a pass runs, which must not
 * make the pass skip its sweep of keys whose rows are gone.
 */
@Timeout(30)
class StaleCursorTest {

    @Test
    void aKeyThatRetiredItselfDuringAPassIsNotStartedFromThePassesStalePage() throws Exception {
        retiresDuringAPass(false);
    }

    /** The same, the process retiring through {@link ProcessContext#retire()}: the supervisor deletes its row. */
    @Test
    void aKeyThatRetiredItselfThroughItsContextDuringAPassIsNotStartedFromThePassesStalePage() throws Exception {
        retiresDuringAPass(true);
    }

    private void retiresDuringAPass(boolean throughContext) throws Exception {
        InMemoryTable<String, Runner> live = new InMemoryTable<>();
        PagedTable table = new PagedTable(live);
        AtomicInteger runsOfB = new AtomicInteger();
        CountDownLatch retireNow = new CountDownLatch(1);
        live.put("a", context -> {
            context.ready();
            context.awaitStop();
        });
        live.put("b", context -> {
            runsOfB.incrementAndGet();
            context.ready();
            retireNow.await();
            if (throughContext) {
                context.retire();
            } else {
                live.remove("b"); // retires itself: deletes its row, then returns
            }
        });
        CountDownLatch bRetired = new CountDownLatch(1);
        CountDownLatch stalePassEnded = new CountDownLatch(1);
        SupervisorListener<String> listener = new SupervisorListener<>() {
            @Override
            public void retired(ProcessStatus<String> last) {
                if (last.key().equals("b")) {
                    bRetired.countDown();
                }
            }

            @Override
            public void passCompleted(PassReport<String> report) {
                if (table.isPausedPass()) {
                    stalePassEnded.countDown();
                }
            }
        };
        try (Supervisor<String, Runner> supervisor = Supervisor.builder(table).clock(new ManualClock())
                .listener(listener).build()) {
            supervisor.launch();
            assertThat(runsOfB).hasValue(1);

            table.pauseAfterPageRead = true;       // the next pass reads its page (a and b), then waits
            supervisor.reconcileNow();
            assertThat(table.paused.await(Waits.SHORT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            retireNow.countDown();                 // meanwhile b deletes its row and returns
            assertThat(bRetired.await(Waits.SHORT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            table.resume.countDown();              // the pass goes on with its page, which still lists b

            assertThat(stalePassEnded.await(Waits.SHORT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(runsOfB).as("b retired itself and must not run again").hasValue(1);
            assertThat(supervisor.keys()).containsExactly("a");
        }
    }

    /**
     * A pass skips its sweep only when it saw every key the supervisor knows. Counting alone would
     * be fooled here: the pass sees a and b, a leaves during the pass, and c (whose row was deleted
     * without a signal) is unseen, so the pass saw as many keys as are left. It must still sweep
     * and retire c.
     */
    @Test
    void aKeyLeavingDuringAPassDoesNotHideAnUnseenKeyFromTheSweep() throws Exception {
        InMemoryTable<String, Runner> live = new InMemoryTable<>();
        PagedTable table = new PagedTable(live);
        CountDownLatch retireNow = new CountDownLatch(1);
        live.put("a", context -> {
            context.ready();
            retireNow.await();
            live.remove("a"); // retires itself: deletes its row, then returns
        });
        Runners.RunsUntilStopped b = new Runners.RunsUntilStopped("b");
        Runners.RunsUntilStopped c = new Runners.RunsUntilStopped("c");
        live.put("b", b).put("c", c);
        CountDownLatch aRetired = new CountDownLatch(1);
        CompletableFuture<PassReport<String>> pausedPass = new CompletableFuture<>();
        SupervisorListener<String> listener = new SupervisorListener<>() {
            @Override
            public void retired(ProcessStatus<String> last) {
                if (last.key().equals("a")) {
                    aRetired.countDown();
                }
            }

            @Override
            public void passCompleted(PassReport<String> report) {
                if (table.isPausedPass()) {
                    pausedPass.complete(report);
                }
            }
        };
        try (Supervisor<String, Runner> supervisor = Supervisor.builder(table).clock(new ManualClock())
                .listener(listener).build()) {
            supervisor.launch();
            assertThat(supervisor.keys()).containsExactlyInAnyOrder("a", "b", "c");
            live.remove("c");                      // no signal: only a pass can find it gone

            table.pauseAfterPageRead = true;       // the next pass reads its page (a and b), sees a, then waits
            supervisor.reconcileNow();
            assertThat(table.paused.await(Waits.SHORT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            retireNow.countDown();                 // meanwhile a deletes its row, returns and is retired
            assertThat(aRetired.await(Waits.SHORT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            table.resume.countDown();              // the pass sees b: two keys seen, two keys left

            assertThat(pausedPass.get(Waits.SHORT.toSeconds(), TimeUnit.SECONDS).retired()).isEqualTo(1);
            assertThat(c.stopped.await(Waits.SHORT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            await().atMost(Waits.SHORT).until(() -> supervisor.keys().equals(Set.of("b")));
        }
    }

    @Test
    void aKeyThatRetiredItselfWhileItsChangedRowWasReadIsNotStartedFromThatRead() throws Exception {
        InMemoryTable<String, Runner> live = new InMemoryTable<>();
        PagedTable table = new PagedTable(live);
        table.signalling = true;
        AtomicInteger runsOfB = new AtomicInteger();
        CountDownLatch retireNow = new CountDownLatch(1);
        Runner b = context -> {
            runsOfB.incrementAndGet();
            context.ready();
            retireNow.await();
            live.remove("b"); // retires itself: deletes its row, then returns
        };
        live.put("b", b);
        CountDownLatch bRetired = new CountDownLatch(1);
        SupervisorListener<String> listener = new SupervisorListener<>() {
            @Override
            public void retired(ProcessStatus<String> last) {
                bRetired.countDown();
            }
        };
        try (Supervisor<String, Runner> supervisor = Supervisor.builder(table).clock(new ManualClock())
                .listener(listener).build()) {
            supervisor.launch();
            assertThat(runsOfB).hasValue(1);

            table.pauseAfterReading = "b";         // the next read of b's row finds it, then waits
            live.put("b", b);                      // a change signal: the loop checks b and reads its row
            assertThat(table.paused.await(Waits.SHORT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            retireNow.countDown();                 // meanwhile b deletes its row and returns
            assertThat(bRetired.await(Waits.SHORT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            table.resume.countDown();              // the check goes on with the row it read

            supervisor.reconcileNow();             // runs after the check, on the same loop thread
            await().atMost(Waits.SHORT).until(() -> supervisor.lastPass()
                    .filter(report -> report.rowsSeen() == 0).isPresent());
            assertThat(runsOfB).as("b retired itself and must not run again").hasValue(1);
            assertThat(supervisor.keys()).isEmpty();
        }
    }

    /** A table whose cursor reads all rows as one page when it opens, and can wait after that read. */
    static final class PagedTable implements Table<String, Runner> {
        final InMemoryTable<String, Runner> live;
        final CountDownLatch paused = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);
        volatile boolean pauseAfterPageRead;
        volatile String pauseAfterReading;
        volatile boolean signalling;
        private final AtomicInteger cursorsOpened = new AtomicInteger();
        private volatile int pausingCursor; // the ordinal of the first cursor that paused after its page; 0: none
        private final AtomicInteger passesReported = new AtomicInteger();

        /**
         * Called once for each pass report, in the order the listener receives them (each pass
         * opens one cursor and ends with one report, and a listener gets its events in order): true
         * for the report of the pass whose cursor paused. A report that arrives late, after the
         * pause began, is not taken for it.
         */
        boolean isPausedPass() {
            int pass = passesReported.incrementAndGet();
            return pass == pausingCursor;
        }

        PagedTable(InMemoryTable<String, Runner> live) {
            this.live = live;
        }

        @Override
        public Optional<Runner> get(String key) {
            Optional<Runner> value = live.get(key);
            if (value.isPresent() && key.equals(pauseAfterReading)) {
                pauseAfterReading = null;
                paused.countDown();
                try {
                    resume.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TableException("interrupted", e);
                }
            }
            return value;
        }

        @Override
        public void removeAll(java.util.Collection<? extends String> keys) {
            live.removeAll(keys);
        }

        @Override
        public Subscription subscribe(ChangeListener<? super String> listener) {
            return signalling ? live.subscribe(listener) : Table.super.subscribe(listener);
        }

        @Override
        public Cursor<String, Runner> cursor() {
            List<Map.Entry<String, Runner>> page = new ArrayList<>();
            try (Cursor<String, Runner> rows = live.cursor()) {
                while (rows.next()) {
                    page.add(Map.entry(rows.key(), rows.value()));
                }
            }
            page.sort(Map.Entry.comparingByKey());
            int ordinal = cursorsOpened.incrementAndGet();
            boolean pause = pauseAfterPageRead;
            if (pause && pausingCursor == 0) {
                pausingCursor = ordinal;
            }
            return new Cursor<>() {
                private int at = -1;

                @Override
                public boolean next() {
                    if (at == 0 && pause) {
                        paused.countDown();
                        try {
                            resume.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new TableException("interrupted", e);
                        }
                    }
                    return ++at < page.size();
                }

                @Override
                public String key() {
                    return page.get(at).getKey();
                }

                @Override
                public Runner value() {
                    return page.get(at).getValue();
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
