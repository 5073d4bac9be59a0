package dev.supervisor.internal;

import dev.supervisor.NotRunningException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor's own lifecycle, its lock, and the "starts allowed" gate.
 *
 * <p>Concurrency: the state moves only in {@link #transition}, under the write lock. Every start
 * path runs inside {@link #whileStartsAllowed}, under the read lock, so once {@link #beginClose}
 * has moved the state to CLOSING no attempt can be created, and every attempt created before is
 * in the slot map for the close to stop. The state is volatile for lock-free glances
 * ({@link #startsAllowed()}), which callers re-check under the read lock before acting.
 */
final class Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    /**
     * The states; they only move forward ({@link #canBecome} is the table; a test checks this
     * diagram against it):
     * <pre>
     *   NEW       -&gt; LAUNCHING  (launch())
     *             -&gt; CLOSED     (close() before launch())
     *   LAUNCHING -&gt; RUNNING    (launch()'s first pass ended)
     *             -&gt; CLOSING    (close() while launching)
     *   RUNNING   -&gt; CLOSING    (close())
     *   CLOSING   -&gt; CLOSED     (every process ended)
     * </pre>
     */
    enum State {
        NEW, LAUNCHING, RUNNING, CLOSING, CLOSED;

        boolean canBecome(State next) {
            return switch (this) {
                case NEW -> next == LAUNCHING || next == CLOSED;
                case LAUNCHING -> next == RUNNING || next == CLOSING;
                case RUNNING -> next == CLOSING;
                case CLOSING -> next == CLOSED;
                case CLOSED -> false;
            };
        }
    }

    private final String name;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile State state = State.NEW;

    Lifecycle(String name) {
        this.name = name;
    }

    State state() {
        return state;
    }

    /** True while launching or running: starts may happen. A glance; act on it only through {@link #whileStartsAllowed}. */
    boolean startsAllowed() {
        State now = state;
        return now == State.LAUNCHING || now == State.RUNNING;
    }

    /**
     * Runs {@code action} under the read lock if starts are allowed, else returns
     * {@code refused.get()} (which may throw). Lock order: this lock, then a slot's lock.
     */
    <T> T whileStartsAllowed(Supplier<T> action, Supplier<T> refused) {
        lock.readLock().lock();
        try {
            return startsAllowed() ? action.get() : refused.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** NEW to LAUNCHING. @throws IllegalStateException if launch() was called before */
    void beginLaunch() {
        lock.writeLock().lock();
        try {
            if (state != State.NEW) {
                throw new IllegalStateException("supervisor " + name + ": launch() was already called; it is " + state);
            }
            transition(State.LAUNCHING);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * LAUNCHING to RUNNING, running {@code whileLocked} under the write lock (so that no close
     * slips in between); false, doing nothing, if a close came first.
     */
    boolean finishLaunch(Runnable whileLocked) {
        lock.writeLock().lock();
        try {
            if (state != State.LAUNCHING) {
                return false;
            }
            transition(State.RUNNING);
            whileLocked.run();
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Begins a close: NEW goes straight to CLOSED, LAUNCHING and RUNNING to CLOSING.
     * {@code check} runs first under the write lock and may refuse by throwing.
     *
     * @return the state before; the caller shuts down if it was LAUNCHING or RUNNING, and waits
     *     with {@link #awaitClosed} if it was CLOSING or CLOSED
     */
    State beginClose(Runnable check) {
        State previous;
        lock.writeLock().lock();
        try {
            if (state != State.CLOSED) {
                check.run();
            }
            previous = state;
            switch (previous) {
                case NEW -> transition(State.CLOSED);
                case LAUNCHING, RUNNING -> transition(State.CLOSING);
                case CLOSING, CLOSED -> {
                    // someone else is closing, or did
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
        if (previous == State.NEW) {
            closed.countDown();
        }
        return previous;
    }

    /** CLOSING to CLOSED, once every process ended; releases every {@link #awaitClosed}. */
    void finishClose() {
        lock.writeLock().lock();
        try {
            transition(State.CLOSED);
        } finally {
            lock.writeLock().unlock();
        }
        closed.countDown();
    }

    /** Waits, uninterruptibly (an interrupt is kept), until the supervisor is CLOSED. */
    void awaitClosed() {
        boolean interrupted = false;
        while (true) {
            try {
                closed.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The error for an operation refused because the supervisor is not launched or is closing. */
    NotRunningException notRunning(String operation) {
        State now = state;
        return new NotRunningException("supervisor " + name + " cannot " + operation + ": it is " + now
                + (now == State.NEW ? " (call launch() first)" : ""));
    }

    /** The one place the state moves. Caller holds the write lock. */
    private void transition(State next) {
        State from = state;
        StateGraph.check(from.canBecome(next), log, () -> "supervisor " + name + ": " + from + " -> " + next);
        state = next;
    }

    @Override
    public String toString() {
        return state.toString();
    }
}
