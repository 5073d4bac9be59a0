package dev.supervisor.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.RestartPolicy;
import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testsupport.Waits;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * An observation per attempt, from its start to its end, with its outcome and error, and one per
 * pass; with Micrometer's meter handler they are timers tagged by the supervisor's name and the outcome.
 */
class SupervisorObservationsTest {

    private final InMemoryTable<String, Runner> table = new InMemoryTable<>();
    private final ObservationRegistry registry = ObservationRegistry.create();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();

    SupervisorObservationsTest() {
        registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onEvent(Observation.Event event, Observation.Context context) {
                events.add(context.getHighCardinalityKeyValue(SupervisorObservations.KEY).getValue() + " " + event.getName());
            }

            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context);
            }
        });
    }

    @Test
    void anAttemptFromItsStartToItsEndWithItsOutcomeAndAPassWithItsKind() {
        AtomicInteger runs = new AtomicInteger();
        Runner failsOnce = context -> {
            context.ready();
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("the queue is gone");
            }
            context.awaitStop();
        };
        table.put("mailer", failsOnce);
        // docs: observations
        Supervisor<String, Runner> supervisor = Supervisor.builder(table).name("observed")
                .restartPolicy(RestartPolicy.DEFAULT.withBackoff(Duration.ofMillis(10), Duration.ofMillis(10)))
                .listener(new SupervisorObservations("observed", registry)).build();
        // docs: end
        supervisor.launch();
        try {
            // the second attempt runs, so the first (failed) one has been stopped: one listener's events come in order
            await().atMost(Waits.SHORT).until(() -> events.stream().filter("mailer running"::equals).count() == 2);
            table.remove("mailer");
            await().atMost(Waits.SHORT).until(() -> attempts().size() == 2);
        } finally {
            supervisor.close();
        }

        Observation.Context failed = attempts().get(0);
        assertThat(values(failed)).containsEntry("name", "observed").containsEntry("outcome", "failed")
                .containsEntry("supervisor.key", "mailer").containsEntry("supervisor.attempt.number", "1");
        assertThat(failed.getError()).hasMessage("the queue is gone");
        assertThat(values(attempts().get(1))).containsEntry("outcome", "stopped").containsEntry("supervisor.attempt.number", "2");
        assertThat(meters.get(SupervisorObservations.ATTEMPT).tag("name", "observed").tag("outcome", "failed").timer().count())
                .isEqualTo(1);

        Observation.Context launchPass = stopped.stream().filter(c -> c.getName().equals(SupervisorObservations.PASS))
                .findFirst().orElseThrow();
        assertThat(values(launchPass)).containsEntry("name", "observed").containsEntry("outcome", "success")
                .containsEntry("supervisor.pass.kind", "full");
        assertThat(meters.get(SupervisorObservations.PASS).tag("outcome", "success").timer().count()).isPositive();
    }

    private List<Observation.Context> attempts() {
        return stopped.stream().filter(c -> c.getName().equals(SupervisorObservations.ATTEMPT)).toList();
    }

    private static Map<String, String> values(Observation.Context context) {
        return context.getAllKeyValues().stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
    }
}
