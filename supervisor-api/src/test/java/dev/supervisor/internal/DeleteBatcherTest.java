package dev.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervisor.testsupport.Waits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The group commit of self-retiring processes' deletes. */
@Timeout(30)
class DeleteBatcherTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void aLoneDeleteRunsAtOnceAndKeysQueuedMeanwhileGoTogetherInTheNextCall() throws Exception {
        List<List<String>> calls = new CopyOnWriteArrayList<>();
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        DeleteBatcher<String> batcher = new DeleteBatcher<>(keys -> {
            calls.add(List.copyOf(keys));
            if (calls.size() == 1) {
                firstRunning.countDown();
                hold(releaseFirst);
            }
        });
        Future<?> first = threads.submit(() -> batcher.delete("a"));
        assertThat(firstRunning.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        List<Thread> waiting = new CopyOnWriteArrayList<>();
        List<Future<?>> others = new ArrayList<>();
        for (String key : List.of("b", "c", "d", "e")) {
            others.add(threads.submit(() -> {
                waiting.add(Thread.currentThread());
                batcher.delete(key);
            }));
        }
        await().atMost(Waits.SHORT).until(() -> waiting.size() == 4
                && waiting.stream().allMatch(thread -> thread.getState() == Thread.State.WAITING));
        releaseFirst.countDown();
        first.get();
        for (Future<?> other : others) {
            other.get();
        }
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).containsExactly("a");
        assertThat(calls.get(1)).containsExactlyInAnyOrder("b", "c", "d", "e");
    }

    @Test
    void aFailedDeleteFailsEveryCallerOfItsBatchAndTheNextBatchRunsAnyway() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<List<String>> calls = new CopyOnWriteArrayList<>();
        DeleteBatcher<String> batcher = new DeleteBatcher<>(keys -> {
            calls.add(List.copyOf(keys));
            if (calls.size() == 1) {
                firstRunning.countDown();
                hold(releaseFirst);
                throw new IllegalStateException("database down");
            }
        });
        Future<?> first = threads.submit(() -> batcher.delete("a"));
        assertThat(firstRunning.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        List<Thread> waiting = new CopyOnWriteArrayList<>();
        Future<?> second = threads.submit(() -> {
            waiting.add(Thread.currentThread());
            batcher.delete("b");
        });
        await().atMost(Waits.SHORT).until(() -> waiting.size() == 1
                && waiting.getFirst().getState() == Thread.State.WAITING);
        releaseFirst.countDown();
        assertThatThrownBy(first::get).hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("database down");
        second.get(); // its own batch, run after the failed one
        assertThat(calls).containsExactly(List.of("a"), List.of("b"));
        batcher.delete("c");
        assertThat(calls).hasSize(3);
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
