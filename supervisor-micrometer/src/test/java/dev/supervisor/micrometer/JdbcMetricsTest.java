package dev.supervisor.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.jdbc.Database;
import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.jdbc.StatusWriter;
import dev.supervisor.testsupport.Waits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JdbcMetricsTest {

    @Test
    void countsTheTablesStatementsAndShowsTheStatusWritersBacklog() {
        registry = new SimpleMeterRegistry();
        Runner fine = context -> {
            context.ready();
            context.awaitStop();
        };
        try (Database db = Database.connect("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
             JdbcTable<String, Runner> table = JdbcTable.builder(db, row -> fine).build();
             StatusWriter<String> status = StatusWriter.<String>builder(db).flushInterval(Duration.ofHours(1)).build()) {
            new JdbcMetrics("jdbc-metered", table, status).bindTo(registry);
            assertThat(gauge(JdbcMetrics.STATEMENTS_MAX)).isEqualTo(table.maxConcurrentStatements());
            double before = registry.get(JdbcMetrics.STATEMENTS).functionCounter().count();
            table.put("one", "{}");
            table.put("two", "{}");
            try (Supervisor<String, Runner> supervisor = Supervisor.builder(table).name("jdbc-metered").listener(status)
                    .build()) {
                supervisor.launch();
                await().atMost(Waits.DATABASE).until(() -> status.pending() == 2); // flushes are an hour apart
                assertThat(gauge(JdbcMetrics.STATUS_BACKLOG)).isEqualTo(2);
                assertThat(status.flushNow()).isTrue();
                assertThat(gauge(JdbcMetrics.STATUS_BACKLOG)).isZero();
                assertThat(registry.get(JdbcMetrics.STATUS_BATCHES).functionCounter().count()).isGreaterThanOrEqualTo(1);
                assertThat(registry.get(JdbcMetrics.STATUS_FAILURES).functionCounter().count()).isZero();
            }
            // two puts, then at least launch's page read
            assertThat(registry.get(JdbcMetrics.STATEMENTS).functionCounter().count()).isGreaterThanOrEqualTo(before + 3);
            assertThat(gauge(JdbcMetrics.STATEMENTS_RUNNING)).isZero();
            assertThat(gauge(JdbcMetrics.STATEMENTS_WAITING)).isZero();
        }
        assertThat(registry.get(JdbcMetrics.STATEMENTS).tag("table", "supervisor_processes").tag("name", "jdbc-metered")
                .functionCounter()).isNotNull();
        assertThat(registry.get(JdbcMetrics.STATUS_BACKLOG).tag("table", "supervisor_status").gauge()).isNotNull();
    }

    private SimpleMeterRegistry registry;

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }
}
