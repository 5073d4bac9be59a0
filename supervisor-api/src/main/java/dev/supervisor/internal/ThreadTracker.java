package dev.supervisor.internal;

import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Starts the supervisor's threads (virtual ones, and the reconcile loop's platform thread) and
 * remembers them until they end, so that {@code close()} can leave none behind. Thread-safe.
 *
 * <p>A set of threads rather than a counter: {@code close()} joins the threads themselves, since
 * a counter decremented at the end of a thread's body would let close() return while that
 * thread is still terminating.
 */
final class ThreadTracker {
    private final Set<Thread> live = ConcurrentHashMap.newKeySet();
    /** Illegal state transitions that ended one of the threads (only with assertions enabled). */
    private final Queue<StateGraph.Violation> violations = new ConcurrentLinkedQueue<>();

    /** Starts {@code body} on a new virtual thread named {@code name}. */
    Thread start(String name, Runnable body) {
        return start(Thread.ofVirtual().name(name), body);
    }

    /**
     * Starts {@code body} on a new platform daemon thread named {@code name}: for a long-lived
     * thread that must not wait for a carrier behind busy processes, and whose blocking reads
     * should not go through the virtual-thread poller (the reconcile loop).
     */
    Thread startPlatform(String name, Runnable body) {
        return start(Thread.ofPlatform().daemon().name(name), body);
    }

    private Thread start(Thread.Builder builder, Runnable body) {
        Thread thread = builder.unstarted(() -> {
            try {
                body.run();
            } catch (StateGraph.Violation bug) {
                violations.add(bug);
                throw bug;
            } finally {
                live.remove(Thread.currentThread());
            }
        });
        live.add(thread);
        thread.start();
        return thread;
    }

    /** True if the calling thread is one of ours. */
    boolean isCurrentThreadTracked() {
        return live.contains(Thread.currentThread());
    }

    /** Waits until every tracked thread, including any started meanwhile, has ended. */
    void awaitAll() {
        boolean interrupted = false;
        while (!live.isEmpty()) {
            for (Thread thread : live.toArray(Thread[]::new)) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Throws the first illegal state transition that ended one of the threads, if any, with the
     * others suppressed: so that a bug on a background thread fails the test that closes the
     * supervisor, rather than only printing a stack trace.
     */
    void rethrowViolations() {
        StateGraph.Violation first = violations.poll();
        if (first != null) {
            violations.forEach(first::addSuppressed);
            throw first;
        }
    }

    int size() {
        return live.size();
    }
}
