package dev.supervisor.testing;

import dev.supervisor.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Clock} that moves only when a test says so, for deterministic tests of everything
 * timed: intervals, waits, backoff, start and stop timeouts.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * Supervisor<String, Worker> supervisor = Supervisor.builder(table).clock(clock).build();
 * ...
 * clock.awaitPendingTimers(1, Duration.ofSeconds(5)); // the restart timer is armed
 * clock.advance(Duration.ofMillis(500));              // and now it fires
 * }</pre>
 *
 * <p>Thread-safe. Timers that fall due are completed by the thread calling {@link #advance},
 * in due order, after the clock's lock is released. Concurrent advances never move the clock
 * backwards.
 */
public final class ManualClock implements Clock {

    /** The instant a clock made with {@code new ManualClock()} starts at. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition timersChanged = lock.newCondition();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private Instant now;
    private long sequence;

    /** A clock at {@link #DEFAULT_START}. */
    public ManualClock() {
        this(DEFAULT_START);
    }

    /** A clock at {@code start}. */
    public ManualClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    @Override
    public Instant now() {
        lock.lock();
        try {
            return now;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletableFuture<Void> after(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        lock.lock();
        try {
            return at(now.plus(delay));
        } finally {
            lock.unlock();
        }
    }

    /** Exact: the timer fires when an {@link #advance} reaches {@code due}, wherever the clock stood when it was armed. */
    @Override
    public CompletableFuture<Void> at(Instant due) {
        Objects.requireNonNull(due, "due");
        CompletableFuture<Void> future = new CompletableFuture<>();
        lock.lock();
        try {
            if (!due.isAfter(now)) {
                future.complete(null);
                return future;
            }
            Timer timer = new Timer(due, sequence++, future);
            timers.add(timer);
            future.whenComplete((ignored, failure) -> {
                if (future.isCancelled()) {
                    remove(timer);
                }
            });
            timersChanged.signalAll();
        } finally {
            lock.unlock();
        }
        return future;
    }

    /**
     * Moves the clock forward by {@code duration} and completes every timer that falls due,
     * earliest first. Timers armed by those completions that fall due within the same advance
     * fire too.
     *
     * @throws IllegalArgumentException if duration is negative
     */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("cannot move a ManualClock backwards: " + duration);
        }
        Instant target;
        lock.lock();
        try {
            target = now.plus(duration);
        } finally {
            lock.unlock();
        }
        while (true) {
            Timer due;
            lock.lock();
            try {
                Timer next = timers.peek();
                if (next == null || next.due.isAfter(target)) {
                    if (target.isAfter(now)) { // concurrent advances never move the clock backwards
                        now = target;
                    }
                    timersChanged.signalAll();
                    return;
                }
                due = timers.poll();
                if (due.due.isAfter(now)) {
                    now = due.due;
                }
                timersChanged.signalAll();
            } finally {
                lock.unlock();
            }
            due.future.complete(null);
        }
    }

    /** The number of timers armed and not yet fired or cancelled. */
    public int pendingTimers() {
        lock.lock();
        try {
            return timers.size();
        } finally {
            lock.unlock();
        }
    }

    /** When the earliest pending timer falls due, or null if none is pending. */
    public Instant nextTimerDue() {
        lock.lock();
        try {
            Timer next = timers.peek();
            return next == null ? null : next.due;
        } finally {
            lock.unlock();
        }
    }

    /** The due instants of all pending timers, earliest first. */
    public List<Instant> pendingTimerDues() {
        lock.lock();
        try {
            List<Timer> copy = new ArrayList<>(timers);
            copy.sort(null);
            return copy.stream().map(t -> t.due).toList();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits, in real time, until at least {@code atLeast} timers are pending.
     *
     * @throws TimeoutException if that does not happen within {@code realTimeout}; the message says how many were pending
     */
    public void awaitPendingTimers(int atLeast, Duration realTimeout) throws InterruptedException, TimeoutException {
        long remaining = realTimeout.toNanos();
        lock.lock();
        try {
            while (timers.size() < atLeast) {
                if (remaining <= 0) {
                    throw new TimeoutException("expected at least " + atLeast + " pending timers, found " + timers.size()
                            + " after " + realTimeout);
                }
                remaining = timersChanged.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
    }

    private void remove(Timer timer) {
        lock.lock();
        try {
            if (timers.remove(timer)) {
                timersChanged.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "ManualClock[" + now() + ", " + pendingTimers() + " pending timers]";
    }

    private record Timer(Instant due, long sequence, CompletableFuture<Void> future) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer other) {
            int byDue = due.compareTo(other.due);
            return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
        }
    }

}
