package dev.supervisor.internal;

import dev.supervisor.PassReport;
import dev.supervisor.ProcessStatus;
import dev.supervisor.SupervisorListener;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to listeners off the supervisor's threads.
 *
 * <p>Concurrency: each listener has a FIFO queue drained by at most one virtual thread at a time,
 * so a listener sees its events one at a time, in the order they were enqueued. Callers enqueue
 * while holding a key's lock (so a key's transitions are enqueued in order) but never wait for
 * delivery: enqueueing is a non-blocking offer. A slow listener only grows its own queue.
 */
final class ListenerDispatcher<K> {
    private static final Logger log = LoggerFactory.getLogger(ListenerDispatcher.class);

    private final String name;
    private final List<SerialQueue<K>> queues;

    ListenerDispatcher(String name, List<SupervisorListener<? super K>> listeners) {
        this.name = name;
        this.queues = listeners.stream().map(l -> new SerialQueue<K>(name, narrow(l))).toList();
    }

    /**
     * A listener of a supertype of K receives snapshots typed by K. The snapshots are immutable
     * and only ever read, so viewing the listener as one of K is safe.
     */
    @SuppressWarnings("unchecked")
    private static <K> SupervisorListener<K> narrow(SupervisorListener<? super K> listener) {
        return (SupervisorListener<K>) listener;
    }

    boolean isEmpty() {
        return queues.isEmpty();
    }

    void statusChanged(ProcessStatus<K> status) {
        dispatch(listener -> listener.statusChanged(status));
    }

    void retired(ProcessStatus<K> last) {
        dispatch(listener -> listener.retired(last));
    }

    void groupRestarting(String group, K exited, List<K> members) {
        dispatch(listener -> listener.groupRestarting(group, exited, members));
    }

    void groupGivenUp(String group, List<K> members) {
        dispatch(listener -> listener.groupGivenUp(group, members));
    }

    void groupRetired(String group) {
        dispatch(listener -> listener.groupRetired(group));
    }

    void passStarted(Instant startedAt, boolean incremental) {
        dispatch(listener -> listener.passStarted(startedAt, incremental));
    }

    void passCompleted(PassReport<K> report) {
        dispatch(listener -> listener.passCompleted(report));
    }

    /** Completes once every event enqueued before this call was delivered. */
    CompletableFuture<Void> flushed() {
        return CompletableFuture.allOf(queues.stream().map(SerialQueue::flushed).toArray(CompletableFuture[]::new));
    }

    private void dispatch(Consumer<SupervisorListener<K>> event) {
        for (SerialQueue<K> queue : queues) {
            queue.submit(event);
        }
    }

    @Override
    public String toString() {
        return name + " listeners: " + queues.size();
    }

    /** One listener's queue and its drain. */
    private static final class SerialQueue<K> {
        private final String name;
        private final SupervisorListener<K> listener;
        private final Queue<Consumer<SupervisorListener<K>>> events = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean draining = new AtomicBoolean();

        SerialQueue(String name, SupervisorListener<K> listener) {
            this.name = name;
            this.listener = listener;
        }

        void submit(Consumer<SupervisorListener<K>> event) {
            events.add(event);
            if (draining.compareAndSet(false, true)) {
                Thread.ofVirtual().name(name + "-listener").start(this::drain);
            }
        }

        CompletableFuture<Void> flushed() {
            CompletableFuture<Void> done = new CompletableFuture<>();
            submit(ignored -> done.complete(null));
            return done;
        }

        private void drain() {
            while (true) {
                Consumer<SupervisorListener<K>> event;
                while ((event = events.poll()) != null) {
                    try {
                        event.accept(listener);
                    } catch (Throwable t) {
                        log.warn("[{}] listener {} threw; it keeps receiving events", name, listener, t);
                    }
                }
                draining.set(false);
                if (events.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
            }
        }
    }
}
