package dev.supervisor;

import static dev.supervisor.KeyState.BACKOFF;
import static dev.supervisor.KeyState.RUNNING;
import static dev.supervisor.KeyState.STARTING;
import static dev.supervisor.KeyState.STOPPED;
import static dev.supervisor.KeyState.STOPPING;
import static dev.supervisor.PolicyDoubles.exact;
import static dev.supervisor.Waiting.WAIT;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervisor.PolicyDoubles.Rig;
import dev.supervisor.Runners.Boom;
import dev.supervisor.Runners.Puppet;
import dev.supervisor.Runners.RunsUntilStopped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The status snapshot of a key, through a whole lifecycle; snapshots are immutable values. */
@Timeout(30)
class StatusTest {

    private static final RestartPolicy ONE_SECOND = exact(ofSeconds(1), ofMinutes(1));

    @Test
    void statusFollowsAKeyThroughStartRunStopRestartFailureBackoffAndClose() throws Exception {
        try (Rig rig = new Rig(ONE_SECOND).launch()) {
            Puppet puppet = new Puppet();
            Instant t0 = rig.clock.now();
            rig.table.put("k", puppet);

            ProcessStatus<String> starting = rig.awaitState("k", STARTING, 1);
            assertThat(starting).isEqualTo(new ProcessStatus<>("k", STARTING, 1, 0, Optional.of(t0), Optional.empty(),
                    Optional.empty(), Optional.empty()));
            assertThat(starting.uptime(t0.plusSeconds(5))).isZero();
            assertThat(rig.supervisor.keys()).containsExactly("k");
            assertThatThrownBy(() -> rig.supervisor.get("k")).isInstanceOf(ProcessNotRunningException.class);

            rig.clock.advance(ofSeconds(2));
            puppet.becomeReady();
            ProcessStatus<String> running = rig.awaitState("k", RUNNING, 1);
            assertThat(running.startedAt()).contains(t0);
            assertThat(running.runningSince()).contains(t0.plusSeconds(2));
            rig.clock.advance(ofSeconds(10));
            assertThat(running.uptime(rig.clock.now())).isEqualTo(ofSeconds(10));
            assertThat(rig.supervisor.get("k")).isSameAs(puppet);

            CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> rig.supervisor.stop("k"));
            ProcessStatus<String> stopping = rig.awaitState("k", STOPPING, 1);
            assertThat(stopping.runningSince()).contains(t0.plusSeconds(2));
            assertThat(stopping.uptime(rig.clock.now())).as("only a RUNNING process has uptime").isZero();
            assertThat(stop).isNotDone();
            puppet.exit();
            stop.get(WAIT.toSeconds(), TimeUnit.SECONDS);

            ProcessStatus<String> stopped = rig.status("k");
            ProcessExit stoppedExit = new ProcessExit(ProcessExit.Kind.STOPPED, Optional.empty(), 1, t0.plusSeconds(12), ofSeconds(10));
            assertThat(stopped).isEqualTo(new ProcessStatus<>("k", STOPPED, 1, 0, Optional.of(t0), Optional.empty(),
                    Optional.empty(), Optional.of(stoppedExit)));
            assertThat(running.state()).as("an earlier snapshot does not change").isEqualTo(RUNNING);

            rig.supervisor.reconcileNow(); // a stopped key with a row waits for the next pass
            ProcessStatus<String> second = rig.awaitState("k", STARTING, 2);
            assertThat(second.restarts()).isEqualTo(1);
            assertThat(second.startedAt()).contains(t0.plusSeconds(12));
            assertThat(second.lastExit()).as("the latest exit stays until the next one").contains(stoppedExit);
            puppet.becomeReady();
            rig.awaitState("k", RUNNING, 2);
            Boom boom = new Boom("crash");
            puppet.fail(boom);

            ProcessStatus<String> backoff = rig.awaitBackoff("k", 2);
            assertThat(backoff.lastExit().orElseThrow().kind()).isEqualTo(ProcessExit.Kind.FAILED);
            assertThat(backoff.lastError()).containsSame(boom);
            assertThat(backoff.nextAttemptAt()).contains(t0.plusSeconds(13));
            assertThat(backoff.runningSince()).isEmpty();
            rig.advanceTo(backoff.nextAttemptAt().orElseThrow());

            ProcessStatus<String> third = rig.awaitState("k", STARTING, 3);
            assertThat(third.restarts()).isEqualTo(2);
            assertThat(third.nextAttemptAt()).isEmpty();
            assertThat(third.lastError()).containsSame(boom);

            rig.supervisor.close(); // cancels the attempt still starting
            ProcessStatus<String> closed = rig.status("k");
            assertThat(closed.state()).isEqualTo(STOPPED);
            assertThat(closed.lastExit().orElseThrow().kind()).isEqualTo(ProcessExit.Kind.CANCELLED);
            assertThat(closed.lastError()).isEmpty();
            assertThat(rig.listener.history("k")).containsExactly(STARTING, RUNNING, STOPPING, STOPPED, STARTING, RUNNING,
                    STOPPED, BACKOFF, STARTING, STOPPED);
        }
    }

    @Test
    void snapshotsAreSharedUntilSomethingChangesAndStatusesIsACopy() {
        try (Rig rig = new Rig(ONE_SECOND).launch()) {
            rig.table.put("a", new RunsUntilStopped()).put("b", new RunsUntilStopped());
            ProcessStatus<String> a = rig.awaitState("a", RUNNING, 1);
            rig.awaitState("b", RUNNING, 1);

            assertThat(rig.status("a")).isSameAs(a);
            Map<String, ProcessStatus<String>> statuses = rig.supervisor.statuses();
            assertThat(statuses).containsOnlyKeys("a", "b").containsEntry("a", a);
            statuses.clear();
            assertThat(rig.supervisor.statuses()).containsOnlyKeys("a", "b");
            assertThat(rig.supervisor.status("nobody")).isEmpty();
        }
    }

    @Test
    void aRetiredKeyHasNoStatus() {
        try (Rig rig = new Rig(ONE_SECOND).launch()) {
            rig.table.put("k", new RunsUntilStopped());
            rig.awaitState("k", RUNNING, 1);

            rig.deleteRow("k");

            assertThat(rig.supervisor.status("k")).isEmpty();
            assertThat(rig.supervisor.statuses()).isEmpty();
        }
    }

    @Test
    void aSnapshotChecksItsInvariants() {
        Instant now = Instant.EPOCH;
        assertThatThrownBy(() -> new ProcessStatus<>("k", BACKOFF, 1, 0, Optional.of(now), Optional.empty(), Optional.empty(),
                Optional.empty())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BACKOFF");
        assertThatThrownBy(() -> new ProcessStatus<>("k", RUNNING, 1, 0, Optional.of(now), Optional.empty(), Optional.of(now),
                Optional.empty())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RUNNING");
        assertThatThrownBy(() -> new ProcessExit(ProcessExit.Kind.FAILED, Optional.empty(), 1, now, Duration.ZERO))
                .hasMessageContaining("needs its error");
        assertThatThrownBy(() -> new ProcessExit(ProcessExit.Kind.SUCCEEDED, Optional.of(new Boom("x")), 1, now, Duration.ZERO))
                .hasMessageContaining("has no error");
        ProcessStatus<String> running = new ProcessStatus<>("k", RUNNING, 1, 0, Optional.of(now), Optional.of(now.plusSeconds(5)),
                Optional.empty(), Optional.empty());
        assertThat(running.uptime(now)).as("a clock before runningSince gives zero, not a negative uptime").isZero();
    }
}
