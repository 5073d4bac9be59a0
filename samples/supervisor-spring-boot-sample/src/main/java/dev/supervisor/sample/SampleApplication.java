package dev.supervisor.sample;

import dev.supervisor.RestartPolicy;
import dev.supervisor.jdbc.RowDecoder;
import dev.supervisor.spring.boot.SupervisorBuilderCustomizer;
import java.time.Duration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A Spring Boot application with a supervisor: one {@link RowDecoder} bean is all the starter
 * needs. Each row of {@code supervisor_processes} runs a {@link Countdown}; insert one and it runs,
 * delete it and it stops:
 *
 * <pre>
 * INSERT INTO supervisor_processes (name, payload) VALUES ('launch', '10');
 * </pre>
 *
 * Health: {@code GET /actuator/health/supervisor}; meters: {@code GET /actuator/metrics/supervisor.processes}.
 */
// docs: sample-decoder
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    /** The one bean the starter needs: how a row becomes a process. */
    @Bean
    RowDecoder<String, Countdown> countdowns(JdbcTemplate jdbc) {
        return row -> new Countdown(Integer.parseInt(row.payload().trim()), jdbc);
    }
    // docs: end

    /** Optional: what the supervisor.* properties do not set. */
    // docs: sample-customizer
    @Bean
    SupervisorBuilderCustomizer restartPolicy() {
        return builder -> builder.restartPolicy(RestartPolicy.DEFAULT.withGiveUp(5, Duration.ofMinutes(1)));
    }
    // docs: end
}
