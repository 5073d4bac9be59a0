package dev.supervisor.cli;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notes the descendants of every running command once per interval, so that each
 * {@link ProcessTree} still knows them after their parent died (see there). One scan of the
 * daemon's own process tree per round serves all commands: the cost grows with the number of
 * processes, not with its square.
 *
 * <p>Thread-safe; the scans run on a daemon thread of their own until {@link #close()}.
 */
final class DescendantTracker implements AutoCloseable {

    /** Default time between scans: 1 s. */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(DescendantTracker.class);

    private final Set<ProcessTree> trees = ConcurrentHashMap.newKeySet();
    private final Thread thread;

    DescendantTracker(Duration interval) {
        this.thread = Thread.ofPlatform().daemon().name("supervisor-descendants").start(() -> loop(interval));
    }

    void track(ProcessTree tree) {
        trees.add(tree);
    }

    void untrack(ProcessTree tree) {
        trees.remove(tree);
    }

    private void loop(Duration interval) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(interval);
                scan();
            } catch (InterruptedException e) {
                return;
            } catch (Throwable e) {
                LOG.warn("Scanning the commands' descendants failed; trying again in {}", interval, e);
            }
        }
    }

    /** One round: every tracked tree remembers its root's current descendants. */
    void scan() {
        if (trees.isEmpty()) {
            return;
        }
        Map<Long, List<ProcessHandle>> children = new HashMap<>();
        ProcessHandle.current().descendants().forEach(process ->
                process.parent().ifPresent(parent -> children.computeIfAbsent(parent.pid(), p -> new ArrayList<>()).add(process)));
        for (ProcessTree tree : trees) {
            List<ProcessHandle> below = new ArrayList<>();
            Deque<Long> pending = new ArrayDeque<>(List.of(tree.root().pid()));
            while (!pending.isEmpty()) {
                for (ProcessHandle child : children.getOrDefault(pending.pop(), List.of())) {
                    below.add(child);
                    pending.push(child.pid());
                }
            }
            tree.remember(below);
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
