package dev.supervisor.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.jdbc.Database;
import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.jdbc.StatusWriter;
import dev.supervisor.testsupport.Waits;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The example of docs/metrics.md, run: the meters it binds exist and count. */
class MetricsExampleTest {

    @Test
    void theExampleBindsBothSidesBeforeLaunch() {
        MeterRegistry registry = new SimpleMeterRegistry();
        Runner worker = context -> {
            context.ready();
            context.awaitStop();
        };
        try (Database db = Database.connect("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
             JdbcTable<String, Runner> table = JdbcTable.builder(db, row -> worker).build();
             StatusWriter<String> statusWriter = StatusWriter.<String>builder(db).build()) {
            table.put("inbox", "{}");
            // docs: metrics
            SupervisorMetrics metrics = new SupervisorMetrics("mailer");           // the supervisor's name, as tagged
            Supervisor<String, Runner> supervisor = Supervisor.builder(table).name("mailer")
                    .listener(metrics).listener(statusWriter).build();
            metrics.bindTo(registry);                                              // before launch(), so no event is missed
            new JdbcMetrics("mailer", table, statusWriter).bindTo(registry);       // the database side, optional
            supervisor.launch();
            // docs: end
            try (supervisor) {
                await().atMost(Waits.SHORT).until(() -> registry.get(SupervisorMetrics.PROCESSES)
                        .tag("name", "mailer").tag("state", "running").gauge().value() == 1);
                assertThat(registry.get(SupervisorMetrics.STARTS).tag("name", "mailer").counter().count()).isEqualTo(1);
                assertThat(registry.get(JdbcMetrics.STATEMENTS).tag("name", "mailer").functionCounter().count())
                        .isPositive();
            }
        }
    }
}
