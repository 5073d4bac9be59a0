package dev.supervisor;

import static dev.supervisor.KeyState.RUNNING;
import static dev.supervisor.KeyState.STARTING;
import static dev.supervisor.KeyState.STOPPED;
import static dev.supervisor.KeyState.STOPPING;
import static dev.supervisor.PolicyDoubles.exact;
import static dev.supervisor.Waiting.waiting;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.PolicyDoubles.Rig;
import dev.supervisor.Runners.RunsUntilStopped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A row whose value changed is restarted with the new value, unless updates are ignored. */
@Timeout(30)
class RowUpdateTest {

    private static final RestartPolicy ONE_SECOND = exact(ofSeconds(1), ofMinutes(1));

    @Test
    void anUpdatedRowIsRestartedWithItsNewValue() {
        try (Rig rig = new Rig(ONE_SECOND).launch()) {
            RunsUntilStopped old = new RunsUntilStopped("old");
            rig.table.put("k", old);
            rig.awaitState("k", RUNNING, 1);

            RunsUntilStopped updated = new RunsUntilStopped("new");
            rig.table.put("k", updated);

            rig.awaitState("k", RUNNING, 2);
            assertThat(rig.supervisor.get("k")).isSameAs(updated);
            assertThat(old.stopped.getCount()).as("a graceful stop").isZero();
            assertThat(rig.status("k").lastExit().orElseThrow().stopCause()).contains(StopCause.ROW_UPDATED);
            waiting().untilAsserted(() -> assertThat(rig.listener.history("k")).containsExactly(STARTING, RUNNING, STOPPING, STOPPED, STARTING, RUNNING));
        }
    }

    @Test
    void anUnchangedValueAndAFullPassChangeNothing() {
        try (Rig rig = new Rig(ONE_SECOND).launch()) {
            RunsUntilStopped runner = new RunsUntilStopped();
            rig.table.put("k", runner);
            rig.awaitState("k", RUNNING, 1);
            rig.table.put("k", runner); // an equal value: the same revision
            int passes = rig.listener.passes().size();
            rig.supervisor.reconcileNow();
            waiting().until(() -> rig.listener.passes().size() > passes);
            assertThat(rig.status("k").attempt()).isEqualTo(1);
            assertThat(runner.runs()).isEqualTo(1);
        }
    }

    @Test
    void anUpdateSeenOnlyByAFullPassIsApplied() {
        try (Rig rig = new Rig(ONE_SECOND).launch()) {
            rig.table.put("k", new RunsUntilStopped("old"));
            rig.awaitState("k", RUNNING, 1);
            rig.table.signalling(false);
            RunsUntilStopped updated = new RunsUntilStopped("new");
            rig.table.put("k", updated);
            rig.supervisor.reconcileNow();
            rig.awaitState("k", RUNNING, 2);
            assertThat(rig.supervisor.get("k")).isSameAs(updated);
        }
    }

    @Test
    void withUpdatesIgnoredTheRunningProcessKeepsItsValue() {
        try (Rig rig = new Rig(builder -> builder.restartPolicy(ONE_SECOND).onRowUpdate(RowUpdates.IGNORE)).launch()) {
            RunsUntilStopped old = new RunsUntilStopped("old");
            rig.table.put("k", old);
            rig.awaitState("k", RUNNING, 1);
            rig.table.put("k", new RunsUntilStopped("new"));
            int passes = rig.listener.passes().size();
            rig.supervisor.reconcileNow();
            waiting().until(() -> rig.listener.passes().size() > passes);
            assertThat(rig.supervisor.get("k")).isSameAs(old);
            assertThat(rig.status("k").attempt()).isEqualTo(1);
        }
    }
}
