// docs: sample-application
package dev.supervisor.sample;

import dev.supervisor.jdbc.RowDecoder;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A Spring Boot application with a supervisor: one {@link RowDecoder} bean is all the starter
 * needs. Each row of {@code supervisor_processes} runs a {@link Countdown}; insert one and it runs,
 * delete it and it stops.
 */
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
}
// docs: end
