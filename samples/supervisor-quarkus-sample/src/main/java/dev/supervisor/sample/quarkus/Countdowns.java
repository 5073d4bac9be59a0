package dev.supervisor.sample.quarkus;

import dev.supervisor.KeyState;
import dev.supervisor.ProcessStatus;
import dev.supervisor.RestartPolicy;
import dev.supervisor.SupervisorListener;
import dev.supervisor.jdbc.RowDecoder;
import dev.supervisor.quarkus.SupervisorBuilderCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Quarkus application with a supervisor: one {@link RowDecoder} bean is all the extension needs.
 * Each row of {@code supervisor_processes} runs a {@link Countdown}; insert one and it runs, delete
 * it and it stops:
 *
 * <pre>
 * INSERT INTO supervisor_processes (name, payload) VALUES ('launch', '10');
 * </pre>
 *
 * Health: {@code GET /q/health/ready}; meters: {@code GET /q/metrics}.
 */
// docs: quarkus-decoder
@ApplicationScoped
public class Countdowns {

    /** The one bean the extension needs: how a row becomes a process. */
    @Produces
    RowDecoder<String, Countdown> countdowns() {
        return row -> new Countdown(Integer.parseInt(row.payload().trim()));
    }
    // docs: end

    /** Optional: what the quarkus.supervisor.* properties do not set. */
    // docs: quarkus-customizer
    @Produces
    SupervisorBuilderCustomizer restartPolicy() {
        return builder -> builder.restartPolicy(RestartPolicy.DEFAULT.withGiveUp(5, Duration.ofMinutes(1)));
    }
    // docs: end

    /** Optional: every SupervisorListener bean hears the supervisor's events. */
    // docs: quarkus-listener
    @Produces
    SupervisorListener<String> givenUpAlarm() {
        Logger log = LoggerFactory.getLogger("countdowns");
        return new SupervisorListener<>() {
            @Override
            public void statusChanged(ProcessStatus<String> status) {
                if (status.state() == KeyState.GIVEN_UP) {
                    log.error("{} gave up: {}", status.key(), status.lastExit());
                }
            }
        };
    }
    // docs: end
}
