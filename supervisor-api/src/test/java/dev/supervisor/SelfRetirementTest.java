package dev.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testing.ManualClock;
import dev.supervisor.testsupport.Waits;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ProcessContext#retire()}: a process deletes its own row through the supervisor, which then
 * retires the key when the runner returns, without reading the row again, and never starts it
 * again unless the row comes back.
 */
@Timeout(30)
class SelfRetirementTest {

    private static final Duration WAIT = Waits.SHORT;

    @Test
    void aProcessThatRetiresThroughItsContextIsRetiredWithoutAnotherReadOfItsRow() throws Exception {
        InMemoryTable<String, Runner> table = new InMemoryTable<String, Runner>().signalling(false);
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Boolean> stopRequestedAfterRetire = new AtomicReference<>();
        table.put("job", context -> {
            runs.incrementAndGet();
            context.ready();
            go.await();
            context.retire();
            stopRequestedAfterRetire.set(context.stopRequested());
        });
        CountDownLatch retired = new CountDownLatch(1);
        try (Supervisor<String, Runner> supervisor = Supervisor.builder(table).clock(new ManualClock())
                .listener(retiredListener(retired)).build()) {
            supervisor.launch();
            int readsBefore = table.gets();
            go.countDown();
            assertThat(retired.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            assertThat(table.contains("job")).as("its row is deleted").isFalse();
            assertThat(table.gets()).as("no read of the row after the process retired itself").isEqualTo(readsBefore);
            assertThat(stopRequestedAfterRetire.get()).as("a retired process is asked to stop").isTrue();
            assertThat(supervisor.keys()).isEmpty();
            assertThat(supervisor.status("job")).isEmpty();
            supervisor.reconcileNow();
            await().atMost(WAIT).until(() -> supervisor.lastPass().filter(pass -> pass.rowsSeen() == 0).isPresent());
            assertThat(runs).as("never started again").hasValue(1);
        }
    }

    /**
     * The row comes back while the process that deleted it is still ending: a pass sees it (with a
     * new revision) while the old process is STOPPING, and the key is started again once that
     * process has ended, not left retired.
     */
    @Test
    void aRowPutBackWhileItsProcessRetiresItselfIsStartedAgain() throws Exception {
        InMemoryTable<String, Runner> table = new InMemoryTable<String, Runner>().signalling(false);
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch retiredItsRow = new CountDownLatch(1);
        CountDownLatch mayReturn = new CountDownLatch(1);
        Runner job = context -> {
            if (runs.incrementAndGet() == 1) {
                context.ready();
                context.retire();
                retiredItsRow.countDown();
                mayReturn.await();
            } else {
                context.ready();
                context.awaitStop();
            }
        };
        table.put("job", job);
        AtomicInteger secondRuns = new AtomicInteger();
        Runner successor = context -> {
            secondRuns.incrementAndGet();
            context.ready();
            context.awaitStop();
        };
        AtomicInteger passesEnded = new AtomicInteger();
        SupervisorListener<String> passes = new SupervisorListener<>() {
            @Override
            public void passCompleted(PassReport<String> report) {
                passesEnded.incrementAndGet();
            }
        };
        try (Supervisor<String, Runner> supervisor = Supervisor.builder(table).clock(new ManualClock())
                .listener(passes).build()) {
            supervisor.launch();
            assertThat(retiredItsRow.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(table.contains("job")).isFalse();

            table.put("job", successor); // back, with a new revision, while the first process still runs
            int before = passesEnded.get();
            supervisor.reconcileNow();
            await().atMost(WAIT).until(() -> passesEnded.get() > before);
            assertThat(secondRuns).as("not started beside the process that is still ending").hasValue(0);
            mayReturn.countDown();

            await().atMost(WAIT).until(() -> supervisor.status("job").map(ProcessStatus::state)
                    .filter(state -> state == KeyState.RUNNING).isPresent());
            assertThat(secondRuns).hasValue(1);
            assertThat(runs).hasValue(1);
        }
    }

    @Test
    void retireOnATableThatCannotDeleteRowsThrowsAndTheProcessIsRestartedAsUsual() throws Exception {
        InMemoryTable<String, Runner> rows = new InMemoryTable<>();
        Table<String, Runner> table = new Table<>() {
            @Override
            public Optional<Runner> get(String key) {
                return rows.get(key);
            }

            @Override
            public Cursor<String, Runner> cursor() {
                return rows.cursor();
            }
        };
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch tried = new CountDownLatch(1);
        rows.put("job", context -> {
            context.ready();
            try {
                context.retire();
            } catch (RuntimeException e) {
                thrown.set(e);
                tried.countDown();
            }
            context.awaitStop();
        });
        try (Supervisor<String, Runner> supervisor = Supervisor.builder(table).clock(new ManualClock()).build()) {
            supervisor.launch();
            assertThat(tried.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(thrown.get()).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("cannot delete rows");
            assertThat(rows.contains("job")).isTrue();
            assertThat(supervisor.status("job").map(ProcessStatus::state)).contains(KeyState.RUNNING);
        }
    }

    @Test
    void aContextOutsideASupervisorCannotRetire() {
        ProcessContext bare = new ProcessContext() {
            @Override
            public void ready() {
            }

            @Override
            public boolean stopRequested() {
                return false;
            }

            @Override
            public void awaitStop() {
            }

            @Override
            public boolean awaitStop(Duration timeout) {
                return false;
            }

            @Override
            public Object key() {
                return "k";
            }

            @Override
            public int attempt() {
                return 1;
            }

            @Override
            public Optional<ProcessExit> previousExit() {
                return Optional.empty();
            }

            @Override
            public long epoch() {
                return 0;
            }
        };
        assertThatThrownBy(bare::retire).isInstanceOf(UnsupportedOperationException.class);
    }

    private static SupervisorListener<String> retiredListener(CountDownLatch retired) {
        return new SupervisorListener<>() {
            @Override
            public void retired(ProcessStatus<String> last) {
                retired.countDown();
            }
        };
    }
}
