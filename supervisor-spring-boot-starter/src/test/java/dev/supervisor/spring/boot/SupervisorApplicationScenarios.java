package dev.supervisor.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Supervisor;
import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.jdbc.SchemaMigration;
import dev.supervisor.micrometer.JdbcMetrics;
import dev.supervisor.micrometer.SupervisorMetrics;
import dev.supervisor.micrometer.SupervisorObservations;
import dev.supervisor.spring.boot.app.WorkerApplication;
import dev.supervisor.spring.boot.app.Workers;
import dev.supervisor.spring.boot.app.Workers.Worker;
import dev.supervisor.testsupport.Waits;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A Spring Boot application with the starter, one RowDecoder bean and its own Flyway, seen from
 * outside: rows inserted and deleted with JdbcTemplate, the actuator's health, the meters, the
 * spans of the observations. One
 * subclass per database; the context is shared by the tests of a subclass.
 */
@SpringBootTest(classes = WorkerApplication.class, properties = {"supervisor.reconcile-interval=1h",
        "management.tracing.sampling.probability=1.0"})
abstract class SupervisorApplicationScenarios {

    private static final Duration WAIT = Waits.DATABASE;

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Workers workers;
    @Autowired
    Supervisor<String, Worker> supervisor; // the generic type a user writes
    @Autowired
    JdbcTable<String, Worker> table;
    @Autowired
    HealthContributorRegistry health;
    @Autowired
    MeterRegistry meters;
    @Autowired
    Flyway applicationFlyway;
    @Autowired
    InMemorySpanExporter spans;

    @Test
    void aRowInsertedWithJdbcTemplateRunsItsWorkerAndADeletedOneIsStopped() {
        String key = "mailer-" + UUID.randomUUID();
        jdbc.update("INSERT INTO supervisor_processes (name, payload) VALUES (?, ?)", key, "{}");
        // the change signal, not the hour-long reconcile interval, brings it up
        await().atMost(WAIT).until(() -> workers.running().contains(key));
        assertThat(supervisor.get(key)).isInstanceOf(Worker.class);
        jdbc.update("DELETE FROM supervisor_processes WHERE name = ?", key);
        await().atMost(WAIT).until(() -> !workers.running().contains(key));
        await().atMost(WAIT).until(() -> supervisor.status(key).isEmpty());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSupervisorHealthIsUpWithItsProcessesPerState() {
        String key = "health-" + UUID.randomUUID();
        jdbc.update("INSERT INTO supervisor_processes (name, payload) VALUES (?, ?)", key, "{}");
        await().atMost(WAIT).until(() -> workers.running().contains(key));
        HealthIndicator indicator = (HealthIndicator) health.getContributor("supervisor");
        assertThat(indicator).as("the contributor named supervisor").isInstanceOf(SupervisorHealthIndicator.class);
        Health now = indicator.health();
        assertThat(now.getStatus()).isEqualTo(Status.UP);
        Map<String, Long> processes = (Map<String, Long>) now.getDetails().get("processes");
        assertThat(processes.get("running")).isGreaterThanOrEqualTo(1L);
        assertThat(processes).containsKeys("starting", "stopping", "stopped", "backoff", "given_up", "completed");
        jdbc.update("DELETE FROM supervisor_processes WHERE name = ?", key);
    }

    @Test
    void theMetersAreRegisteredTaggedWithTheSupervisorsName() {
        String key = "meters-" + UUID.randomUUID();
        jdbc.update("INSERT INTO supervisor_processes (name, payload) VALUES (?, ?)", key, "{}");
        await().atMost(WAIT).until(() -> workers.running().contains(key));
        await().atMost(WAIT).until(() -> meters.get(SupervisorMetrics.PROCESSES).tag("name", "supervisor")
                .tag("state", "running").gauge().value() >= 1);
        assertThat(meters.get(SupervisorMetrics.STARTS).tag("name", "supervisor").counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get(SupervisorMetrics.PASSES).tag("outcome", "success").timer().count()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get(SupervisorMetrics.EXITS).tag("kind", "failed").counter()).isNotNull();
        assertThat(meters.get(SupervisorMetrics.RESTARTS).counter()).isNotNull();
        assertThat(meters.get(JdbcMetrics.STATEMENTS).tag("name", "supervisor").tag("table", "supervisor_processes")
                .functionCounter().count()).isGreaterThan(0);
        assertThat(meters.get(JdbcMetrics.STATUS_BACKLOG).tag("table", "supervisor_status").gauge()).isNotNull();
        jdbc.update("DELETE FROM supervisor_processes WHERE name = ?", key);
    }

    @Test
    void theApplicationsOwnFlywayRanOnlyItsOwnScriptAndOursKeepsItsOwnHistory() {
        assertThat(applicationFlyway.info().applied()).extracting(MigrationInfo::getScript).containsExactly("V1__orders.sql");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM orders", Long.class)).isZero();
        assertThat(jdbc.execute((ConnectionCallback<Optional<String>>) SchemaMigration::appliedVersion))
                .as("the supervisor's history, in " + SchemaMigration.HISTORY_TABLE).contains(SchemaMigration.LATEST_VERSION);
    }

    @Test
    void withTracingOnAnAttemptAndAPassBecomeSpansOfTheConfiguredExporter() {
        String key = "traced-" + UUID.randomUUID();
        jdbc.update("INSERT INTO supervisor_processes (name, payload) VALUES (?, ?)", key, "{}");
        await().atMost(WAIT).until(() -> workers.running().contains(key));
        jdbc.update("DELETE FROM supervisor_processes WHERE name = ?", key);

        SpanData attempt = await().atMost(WAIT).until(() -> spans.getFinishedSpanItems().stream()
                .filter(span -> key.equals(span.getAttributes().get(AttributeKey.stringKey(SupervisorObservations.KEY))))
                .findFirst(), Optional::isPresent).orElseThrow();
        assertThat(attempt.getName()).isEqualTo("supervisor attempt");
        assertThat(attempt.getAttributes().get(AttributeKey.stringKey("outcome"))).isEqualTo("stopped");
        assertThat(attempt.getAttributes().get(AttributeKey.stringKey("name"))).isEqualTo("supervisor");
        assertThat(attempt.getEvents()).extracting(EventData::getName).contains("running");
        assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).contains("supervisor pass");
        assertThat(meters.get(SupervisorObservations.ATTEMPT).tag("outcome", "stopped").timer().count()).isPositive();
    }
}
