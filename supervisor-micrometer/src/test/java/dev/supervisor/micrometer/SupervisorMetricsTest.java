package dev.supervisor.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.RestartPolicy;
import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testsupport.Waits;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SupervisorMetricsTest {

    private static final Runner FINE = context -> {
        context.ready();
        context.awaitStop();
    };
    private static final Runner CRASHING = context -> {
        context.ready();
        throw new IllegalStateException("boom");
    };

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InMemoryTable<String, Runner> table = new InMemoryTable<>();
    private final SupervisorMetrics metrics = new SupervisorMetrics("metered");

    private Supervisor<String, Runner> supervisor() {
        metrics.bindTo(registry);
        return Supervisor.builder(table).name("metered").listener(metrics)
                .restartPolicy(RestartPolicy.DEFAULT.withBackoff(Duration.ofMillis(5), Duration.ofMillis(5))
                        .withGiveUp(2, Duration.ofMinutes(10)))
                .build();
    }

    @Test
    void countsStartsRestartsAndExitsOfACrashLoopUntilItGivesUp() {
        table.put("fine", FINE).put("crashing", CRASHING);
        try (Supervisor<String, Runner> supervisor = supervisor()) {
            supervisor.launch();
            await().atMost(Waits.SHORT).untilAsserted(() -> {
                assertThat(processes("given_up")).isEqualTo(1);
                assertThat(processes("running")).isEqualTo(1);
            });
            // more than 2 failures give up: the third failure, so three attempts, two of them restarts
            assertThat(counter(SupervisorMetrics.EXITS, "kind", "failed")).isEqualTo(3);
            assertThat(counter(SupervisorMetrics.STARTS)).isEqualTo(4);
            assertThat(counter(SupervisorMetrics.RESTARTS)).isEqualTo(2);
            assertThat(counter(SupervisorMetrics.EXITS, "kind", "stopped")).isZero();
            for (String state : new String[] {"starting", "stopping", "stopped", "backoff", "completed"}) {
                assertThat(processes(state)).as(state).isZero();
            }
        }
    }

    @Test
    void aDeletedRowLeavesTheGaugesAndCountsAStoppedExit() {
        table.put("fine", FINE);
        try (Supervisor<String, Runner> supervisor = supervisor()) {
            supervisor.launch();
            await().atMost(Waits.SHORT).until(() -> processes("running") == 1);
            table.remove("fine");
            supervisor.reconcileNow();
            await().atMost(Waits.SHORT).untilAsserted(() -> {
                assertThat(counter(SupervisorMetrics.EXITS, "kind", "stopped")).isEqualTo(1);
                assertThat(registry.get(SupervisorMetrics.PROCESSES).gauges()).allMatch(g -> g.value() == 0);
            });
        }
    }

    @Test
    void timesPassesByOutcome() {
        table.put("fine", FINE);
        try (Supervisor<String, Runner> supervisor = supervisor()) {
            supervisor.launch();
            await().atMost(Waits.SHORT).until(() -> passes("success") >= 1);
            table.failNextCursor(new IllegalStateException("cursor broke"));
            supervisor.reconcileNow();
            await().atMost(Waits.SHORT).until(() -> passes("failure") == 1);
        }
    }

    @Test
    void everyMeterIsTaggedWithTheSupervisorsNameAndLowerCaseValues() {
        table.put("fine", FINE);
        try (Supervisor<String, Runner> supervisor = supervisor()) {
            supervisor.launch();
            await().atMost(Waits.SHORT).until(() -> processes("running") == 1);
        }
        assertThat(registry.getMeters()).isNotEmpty().allSatisfy(meter -> {
            assertThat(meter.getId().getTag("name")).isEqualTo("metered");
            assertThat(meter.getId().getTags()).allSatisfy(tag -> assertThat(tag.getValue()).isLowerCase());
        });
        assertThat(registry.getMeters()).extracting(m -> m.getId().getName()).containsOnly(SupervisorMetrics.PROCESSES,
                SupervisorMetrics.STARTS, SupervisorMetrics.EXITS, SupervisorMetrics.RESTARTS, SupervisorMetrics.PASSES);
        assertThat(registry.get(SupervisorMetrics.PASSES).meters()).extracting(Meter::getId)
                .allSatisfy(id -> assertThat(id.getType()).isEqualTo(Meter.Type.TIMER));
        // closing stops the process: the gauge follows the listener to the end
        assertThat(processes("stopped")).isEqualTo(1);
    }

    private double processes(String state) {
        return registry.get(SupervisorMetrics.PROCESSES).tag("state", state).gauge().value();
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private long passes(String outcome) {
        return registry.get(SupervisorMetrics.PASSES).tag("outcome", outcome).timer().count();
    }
}
