package dev.supervisor.jdbc.internal.signal;

import dev.supervisor.ChangeListener;
import dev.supervisor.Subscription;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans a table's change signals out to its subscribers, and runs the table's {@link ChangeSource}
 * only while someone listens: started by the first subscription, closed with the last.
 *
 * <p>Concurrency: subscribers live in a copy-on-write list, so signals are delivered lock-free
 * from any thread; starting and closing the source happen under {@code lock}. A subscriber that
 * throws is logged and the others still get the signal.
 */
public final class SignalHub<K> implements ChangeListener<K>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SignalHub.class);

    private final String name;
    private final Supplier<ChangeSource> sources;
    private final CopyOnWriteArrayList<ChangeListener<? super K>> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private ChangeSource source; // guarded by lock
    private boolean closed; // guarded by lock

    /** A hub named for logging (the table), opening its source from {@code sources} when needed. */
    public SignalHub(String name, Supplier<ChangeSource> sources) {
        this.name = Objects.requireNonNull(name, "name");
        this.sources = Objects.requireNonNull(sources, "sources");
    }

    /**
     * Adds listener; the first one starts the change source.
     *
     * @throws IllegalStateException if the hub is closed
     */
    public Subscription subscribe(ChangeListener<? super K> listener) {
        Objects.requireNonNull(listener, "listener");
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("table " + name + " is closed: cannot subscribe to its changes");
            }
            listeners.add(listener);
            if (source == null) {
                source = sources.get();
                source.start();
            }
        } finally {
            lock.unlock();
        }
        return () -> unsubscribe(listener);
    }

    private void unsubscribe(ChangeListener<? super K> listener) {
        lock.lock();
        try {
            if (listeners.remove(listener) && listeners.isEmpty()) {
                closeSource();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void rowChanged(K key) {
        for (ChangeListener<? super K> listener : listeners) {
            try {
                listener.rowChanged(key);
            } catch (Throwable e) {
                LOG.warn("[{}] A change listener threw on rowChanged({})", name, key, e);
            }
        }
    }

    @Override
    public void tableChanged() {
        for (ChangeListener<? super K> listener : listeners) {
            try {
                listener.tableChanged();
            } catch (Throwable e) {
                LOG.warn("[{}] A change listener threw on tableChanged()", name, e);
            }
        }
    }

    /** Drops every subscriber and closes the source; later subscriptions are refused. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            listeners.clear();
            closeSource();
        } finally {
            lock.unlock();
        }
    }

    private void closeSource() {
        if (source != null) {
            source.close();
            source = null;
        }
    }
}
