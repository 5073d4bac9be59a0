package dev.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ProcessTreeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    /** Starts {@code sh -c script} and waits until it has {@code children} descendants; returns them all, root first. */
    private List<ProcessHandle> tree(String script, int descendants) throws Exception {
        Process process = new ProcessBuilder("sh", "-c", script).start();
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        all.addAll(await().atMost(WAIT).until(() -> process.descendants().toList(), d -> d.size() == descendants));
        started.addAll(all);
        return all;
    }

    @Test
    void theTrackerNotesTheDescendantsOfEveryTrackedTreeInOneScan() throws Exception {
        List<ProcessHandle> first = tree("sleep 1000 & wait", 1);
        List<ProcessHandle> second = tree("sh -c 'sleep 1000 & wait' & wait", 2);
        ProcessTree one = new ProcessTree(first.getFirst());
        ProcessTree two = new ProcessTree(second.getFirst());
        try (DescendantTracker tracker = new DescendantTracker(Duration.ofHours(1))) {
            tracker.track(one);
            tracker.track(two);
            tracker.scan();
        }
        first.getFirst().destroyForcibly();
        second.getFirst().destroyForcibly();
        await().atMost(WAIT).until(() -> !ProcessTree.running(first.getFirst()) && !ProcessTree.running(second.getFirst()));

        assertThat(one.members()).containsExactlyInAnyOrderElementsOf(first.subList(1, 2));
        assertThat(two.members()).containsExactlyInAnyOrderElementsOf(second.subList(1, 3));
    }

    @Test
    void aZombieIsNotRunningThoughItLooksAlive() throws Exception {
        List<ProcessHandle> all = tree("true & exec sleep 1000", 1); // sleep never collects the exited true
        ProcessHandle zombie = all.get(1);
        await().atMost(WAIT).until(() -> !ProcessTree.running(zombie));
        assertThat(zombie.isAlive()).as("what the JDK says").isTrue();
        assertThat(ProcessTree.running(all.getFirst())).isTrue();
    }

    @Test
    void terminateStopsTheRootAndEveryDescendant() throws Exception {
        List<ProcessHandle> all = tree("sleep 1000 & sh -c 'sleep 1000 & wait' & wait", 3);
        ProcessTree tree = new ProcessTree(all.getFirst());

        assertThat(tree.terminate(Duration.ofSeconds(10))).isTrue();

        assertThat(all).noneMatch(ProcessTree::running);
    }

    @Test
    void whatIgnoresSigtermIsKilledAfterTheGrace() throws Exception {
        List<ProcessHandle> all = tree("trap '' TERM; sleep 1000 & wait", 1); // the child inherits the ignored SIGTERM

        assertThat(new ProcessTree(all.getFirst()).terminate(Duration.ofMillis(300))).isTrue();

        assertThat(all).noneMatch(ProcessTree::running);
    }

    @Test
    void descendantsSeenBeforeTheirParentDiedAreStoppedToo() throws Exception {
        List<ProcessHandle> all = tree("sleep 1000 & wait", 1);
        ProcessTree tree = new ProcessTree(all.getFirst());
        tree.refresh();
        all.getFirst().destroyForcibly(); // the sleep is re-parented: no longer a descendant of the root
        await().atMost(WAIT).until(() -> !ProcessTree.running(all.getFirst()));
        assertThat(all.getFirst().descendants()).isEmpty();

        assertThat(tree.members()).containsExactly(all.get(1));
        assertThat(tree.terminate(Duration.ofSeconds(10))).isTrue();

        assertThat(ProcessTree.running(all.get(1))).isFalse();
    }
}
