package dev.supervisor.jdbc.internal.signal;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The change notifications a table's own {@code removeAll} will cause, so that they are not passed
 * on to its subscribers, which asked for those deletes and know of them: one expected notification
 * per key deleted, consumed by the first notification for that key that arrives.
 *
 * <p>Why that is safe: a key is expected before its delete runs, and PostgreSQL delivers
 * notifications in commit order; so the one consumed is the delete's own or one committed before
 * it, and every change committed after the delete is notified after it and passed on. When the
 * delete finds fewer rows than keys, {@link #cancel} drops the expectations (the caller then
 * signals those keys itself). Expectations whose notification never comes (the listener was
 * reconnecting; it then reports "table changed", which {@link #clear}s them) cost at worst a
 * missed hint, which a later pass covers; at most {@link #MAX_EXPECTED} are kept.
 *
 * <p>Thread-safe: {@link #lock} guards the counts; it is a leaf lock.
 */
public final class OwnDeletes {
    /** More expected notifications than this are dropped (the subscribers then see some of them: a read each). */
    static final int MAX_EXPECTED = 100_000;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Integer> expected = new HashMap<>();
    private int size;

    /** Expects one notification for each key, before deleting them. */
    public void expect(Collection<String> keys) {
        lock.lock();
        try {
            if (size + keys.size() > MAX_EXPECTED) {
                return;
            }
            for (String key : keys) {
                expected.merge(key, 1, Integer::sum);
                size++;
            }
        } finally {
            lock.unlock();
        }
    }

    /** True if a notification for key was expected (it is then consumed and not passed on). */
    public boolean consume(String key) {
        lock.lock();
        try {
            Integer count = expected.get(key);
            if (count == null) {
                return false;
            }
            consumeLocked(key, count);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Drops one expectation for each key (a delete that failed or found fewer rows than keys). */
    public void cancel(Collection<String> keys) {
        lock.lock();
        try {
            for (String key : keys) {
                Integer count = expected.get(key);
                if (count != null) {
                    consumeLocked(key, count);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void consumeLocked(String key, int count) {
        if (count == 1) {
            expected.remove(key);
        } else {
            expected.put(key, count - 1);
        }
        size--;
    }

    /** Drops every expectation: notifications may have been lost, and everything is read again. */
    public void clear() {
        lock.lock();
        try {
            expected.clear();
            size = 0;
        } finally {
            lock.unlock();
        }
    }

    /** How many notifications are expected now. */
    public int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }
}
