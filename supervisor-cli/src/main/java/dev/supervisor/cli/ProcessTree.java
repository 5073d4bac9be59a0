package dev.supervisor.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A process and its descendants, stopped together so that nothing is left behind.
 *
 * <p>Descendants are found through their parent, so once a parent dies its children are
 * re-parented (to init) and can no longer be found from the root. Hence the tree remembers every
 * descendant it has seen (noted while the process runs by the {@link DescendantTracker}) and
 * collects them again <em>before</em> sending any signal. A remembered handle is safe to signal
 * later: {@link ProcessHandle} checks the process's start time, so a reused pid is never hit.
 *
 * <p>Stopping is for the one thread that runs the attempt; {@link #remember} may be called from
 * any thread meanwhile.
 */
final class ProcessTree {

    /** How long to wait for processes to vanish after SIGKILL before giving up on them. */
    static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 20;

    private final ProcessHandle root;
    private final Map<Long, ProcessHandle> seen = new ConcurrentHashMap<>();
    private boolean interrupted;

    ProcessTree(ProcessHandle root) {
        this.root = root;
    }

    ProcessHandle root() {
        return root;
    }

    /** Remembers these descendants of the root. */
    void remember(List<ProcessHandle> descendants) {
        descendants.forEach(process -> seen.putIfAbsent(process.pid(), process));
    }

    /** Remembers the root's current descendants and forgets the ones that ended. */
    void refresh() {
        seen.values().removeIf(h -> !running(h));
        root.descendants().filter(ProcessTree::running).forEach(h -> seen.put(h.pid(), h));
    }

    /** Every live member: the root first (if alive), then every descendant seen now or before. */
    List<ProcessHandle> members() {
        refresh();
        List<ProcessHandle> members = new ArrayList<>();
        if (running(root)) {
            members.add(root);
        }
        members.addAll(seen.values());
        return members;
    }

    /**
     * Stops the whole tree: SIGTERM to the root and every descendant (collected first), then
     * SIGKILL to whatever is still alive after {@code grace}, including processes forked
     * meanwhile. Returns once all are gone, or {@link #KILL_WAIT} after the SIGKILL. Not
     * interruptible: an interrupt is remembered and restored when this returns.
     *
     * @return true if every member is gone
     */
    boolean terminate(Duration grace) {
        interrupted = Thread.interrupted();
        try {
            List<ProcessHandle> members = members();
            if (members.isEmpty()) {
                return true;
            }
            members.forEach(ProcessHandle::destroy); // the root first: a shell then cannot fork a replacement child
            if (!grace.isZero() && awaitGone(grace)) {
                return true;
            }
            members().forEach(ProcessHandle::destroyForcibly);
            return awaitGone(KILL_WAIT);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGKILL to the root and every descendant at once, then waits like {@link #terminate}. */
    boolean kill() {
        return terminate(Duration.ZERO);
    }

    /**
     * Whether process still runs: alive, and not a zombie (dead, waiting for its parent to collect
     * its exit status; an orphan's new parent, init, may take its time, and in a container it may
     * never do it). Zombies are recognised on Linux; elsewhere this is {@link ProcessHandle#isAlive()}.
     */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int name = stat.lastIndexOf(')'); // "pid (name) state ...": the name may contain anything
            return name < 0 || name + 2 >= stat.length() || stat.charAt(name + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return process.isAlive(); // gone meanwhile, or no /proc
        }
    }

    /** Waits until no member (including descendants forked meanwhile) is alive; remembers an interrupt. */
    private boolean awaitGone(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!members().isEmpty()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return true;
    }
}
