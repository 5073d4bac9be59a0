package dev.supervisor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Deletes the rows of processes that retire themselves, many in one call when they come together
 * (a group commit, as databases do for their logs): a caller that finds no delete running deletes
 * its own key at once; callers that arrive while one runs queue up, and when it ends the first of
 * them deletes every queued key (up to {@link #MAX_BATCH}) in one call. So a lone retirement costs
 * no added wait, and a burst costs one statement per round trip instead of one per process. No
 * thread and no timer of its own: deletes run on the callers' threads.
 *
 * <p>Concurrency: {@link #lock} guards {@link #queue} and {@link #running}, and is a leaf lock;
 * the delete itself runs outside it. Exactly one caller at a time is the leader (it set
 * {@code running}, or was handed the turn); it takes the queue, deletes, completes every caller
 * of that batch, then hands the turn to the first caller still queued, or clears {@code running}.
 */
final class DeleteBatcher<K> {
    /** The most keys in one delete. */
    static final int MAX_BATCH = 1000;

    /** Completes a waiter's future: its key was deleted. */
    private static final Boolean DELETED = Boolean.FALSE;
    /** Completes a waiter's future: it leads now and must delete the queue. */
    private static final Boolean LEAD = Boolean.TRUE;

    private final Consumer<List<K>> delete;
    private final ReentrantLock lock = new ReentrantLock();
    private List<Waiter<K>> queue = new ArrayList<>();
    private boolean running;

    /** @param delete deletes the rows of the keys given, all or nothing as far as callers know */
    DeleteBatcher(Consumer<List<K>> delete) {
        this.delete = delete;
    }

    /**
     * Deletes key's row, alone or with others queued at the same moment; returns once it is done.
     * Not interruptible (a delete is bounded by the table's own timeouts).
     *
     * @throws RuntimeException whatever the delete threw, for every key of its batch
     */
    void delete(K key) {
        Waiter<K> mine = new Waiter<>(key);
        boolean lead;
        lock.lock();
        try {
            queue.add(mine);
            lead = !running;
            running = true;
        } finally {
            lock.unlock();
        }
        if (!lead && await(mine) != LEAD) {
            return; // another leader deleted it
        }
        // the leader is the first queued waiter (or was alone), so the batch it runs holds its own key
        Throwable failure = runBatch();
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /**
     * Deletes the queued keys (the leader's own first), completes their waiters, then passes the
     * turn on; returns what the delete threw, or null.
     */
    private Throwable runBatch() {
        List<Waiter<K>> batch;
        lock.lock();
        try {
            if (queue.size() <= MAX_BATCH) {
                batch = queue;
                queue = new ArrayList<>();
            } else {
                batch = new ArrayList<>(queue.subList(0, MAX_BATCH));
                queue = new ArrayList<>(queue.subList(MAX_BATCH, queue.size()));
            }
        } finally {
            lock.unlock();
        }
        List<K> keys = new ArrayList<>(batch.size());
        batch.forEach(waiter -> keys.add(waiter.key));
        try {
            delete.accept(keys);
            batch.forEach(waiter -> waiter.outcome.complete(DELETED));
            return null;
        } catch (RuntimeException | Error e) {
            batch.forEach(waiter -> waiter.outcome.completeExceptionally(e));
            return e;
        } finally {
            Waiter<K> next = null;
            lock.lock();
            try {
                if (queue.isEmpty()) {
                    running = false;
                } else {
                    next = queue.getFirst();
                }
            } finally {
                lock.unlock();
            }
            if (next != null) {
                next.outcome.complete(LEAD);
            }
        }
    }

    private static Boolean await(Waiter<?> waiter) {
        try {
            return waiter.outcome.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** One caller: its key, and how its wait ends ({@link #DELETED}, {@link #LEAD} or the delete's failure). */
    private record Waiter<K>(K key, CompletableFuture<Boolean> outcome) {
        Waiter(K key) {
            this(key, new CompletableFuture<>());
        }
    }
}
