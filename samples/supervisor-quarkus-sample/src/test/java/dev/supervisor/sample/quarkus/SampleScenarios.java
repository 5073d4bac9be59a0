package dev.supervisor.sample.quarkus;

import static io.restassured.RestAssured.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import dev.supervisor.KeyState;
import dev.supervisor.ProcessStatus;
import dev.supervisor.Supervisor;
import dev.supervisor.jdbc.SchemaMigration;
import dev.supervisor.testsupport.Waits;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;

/**
 * The sample application seen from outside, as docs/quarkus.md describes it: rows inserted and
 * deleted with plain SQL, {@code /q/health/ready}, {@code /q/metrics}, the application's own
 * Flyway. One subclass per database; the application is shared by the tests of a subclass.
 */
abstract class SampleScenarios {

    private static final Duration WAIT = Waits.DATABASE;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    Supervisor<String, Countdown> supervisor; // the generic type a user writes
    @Inject
    Flyway applicationFlyway;

    @Test
    void aRowInsertedWithSqlRunsItsWorkerAndADeleteStopsIt() throws SQLException {
        String key = "launch-" + UUID.randomUUID();
        update("INSERT INTO supervisor_processes (name, payload) VALUES (?, '3600')", key);
        // the change signal, not the 60 s reconcile interval, brings it up
        await().atMost(WAIT).until(() -> state(key) == KeyState.RUNNING);
        assertThat(supervisor.get(key)).isInstanceOf(Countdown.class);
        await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM supervisor_status WHERE name = ? AND state = 'RUNNING'", key) == 1);
        update("DELETE FROM supervisor_processes WHERE name = ?", key);
        await().atMost(WAIT).until(() -> supervisor.status(key).isEmpty());
    }

    @Test
    void aCountdownRetiresItselfAndItsRowIsDeleted() throws SQLException {
        String key = "quick-" + UUID.randomUUID();
        update("INSERT INTO supervisor_processes (name, payload) VALUES (?, '1')", key);
        await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM supervisor_processes WHERE name = ?", key) == 0);
        await().atMost(WAIT).until(() -> supervisor.status(key).isEmpty());
    }

    @Test
    void theReadinessCheckSupervisorIsUpWithItsProcessesPerState() throws SQLException {
        String key = "health-" + UUID.randomUUID();
        update("INSERT INTO supervisor_processes (name, payload) VALUES (?, '3600')", key);
        await().atMost(WAIT).until(() -> state(key) == KeyState.RUNNING);
        get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'supervisor' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'supervisor' }.data.'processes.running'", greaterThanOrEqualTo(1))
                .body("checks.find { it.name == 'supervisor' }.data.'lastPass.complete'", equalTo(true));
        update("DELETE FROM supervisor_processes WHERE name = ?", key);
    }

    @Test
    void theMetersAreServedTaggedWithTheSupervisorsName() throws SQLException {
        String key = "meters-" + UUID.randomUUID();
        update("INSERT INTO supervisor_processes (name, payload) VALUES (?, '3600')", key);
        await().atMost(WAIT).until(() -> state(key) == KeyState.RUNNING);
        await().atMost(WAIT).untilAsserted(() -> get("/q/metrics").then().statusCode(200)
                .body(containsString("supervisor_processes{name=\"supervisor\",state=\"running\"}"))
                .body(containsString("supervisor_starts_total{name=\"supervisor\"}"))
                .body(containsString("supervisor_exits_total{kind=\"failed\",name=\"supervisor\"}"))
                .body(containsString("supervisor_restarts_total{name=\"supervisor\"}"))
                .body(containsString("supervisor_passes_seconds_count{name=\"supervisor\",outcome=\"success\"}"))
                .body(containsString("supervisor_table_statements_total{name=\"supervisor\",table=\"supervisor_processes\"}"))
                .body(containsString("supervisor_status_backlog{name=\"supervisor\",table=\"supervisor_status\"}")));
        update("DELETE FROM supervisor_processes WHERE name = ?", key);
    }

    @Test
    void theApplicationsOwnFlywayRanOnlyItsOwnScriptAndOursKeepsItsOwnHistory() throws SQLException {
        // quarkus-flyway refuses a non-empty schema without its history: had ours run first, the application would not have started
        assertThat(applicationFlyway.info().applied()).extracting(MigrationInfo::getScript)
                .containsExactly("db/migration/V1__orders.sql");
        assertThat(count("SELECT COUNT(*) FROM orders")).isZero();
        assertThat(count("SELECT COUNT(*) FROM " + SchemaMigration.HISTORY_TABLE + " WHERE \"version\" = ?",
                SchemaMigration.LATEST_VERSION)).isEqualTo(1);
    }

    private KeyState state(String key) {
        return supervisor.status(key).map(ProcessStatus::state).orElse(null);
    }

    private void update(String sql, String key) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, key);
            statement.executeUpdate();
        }
    }

    private long count(String sql, String... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
