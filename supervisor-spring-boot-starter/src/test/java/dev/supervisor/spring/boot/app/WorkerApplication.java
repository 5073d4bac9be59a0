package dev.supervisor.spring.boot.app;

import dev.supervisor.jdbc.RowDecoder;
import dev.supervisor.spring.boot.app.Workers.Worker;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * What a user writes: one RowDecoder bean (and here its Workers). It has its own Flyway and its
 * own script in db/migration, to show the supervisor's migrations stay out of its way, and
 * Spring Boot's OpenTelemetry tracing with an in-memory exporter.
 */
@SpringBootApplication
public class WorkerApplication {

    @Bean
    Workers workers() {
        return new Workers();
    }

    @Bean
    RowDecoder<String, Worker> workerDecoder(Workers workers) {
        return row -> workers.worker(row.key());
    }

    /** Where Spring Boot's OpenTelemetry tracing sends the spans, for the tests to read. */
    @Bean
    InMemorySpanExporter inMemorySpanExporter() {
        return InMemorySpanExporter.create();
    }
}
