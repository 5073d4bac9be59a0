package dev.supervisor.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.supervisor.tests.jdbc.PostgresDatabaseExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows written by another program, as hostile as it likes, next to good rows on PostgreSQL: a
 * payload nested 100 000 deep and one of 10 MB are INVALID with their reason, and neither the
 * good rows, nor {@code list --json}, nor a restarted daemon suffers.
 */
@Timeout(180)
class PostgresPoisonRowsTest {

    @RegisterExtension
    static final PostgresDatabaseExtension POSTGRES = new PostgresDatabaseExtension();

    @TempDir
    Path home;

    @Test
    void poisonRowsAreInvalidWithTheirReasonAndHurtNoOtherRow() throws Exception {
        SupervisorJar cli = SupervisorJar.withHome(home, "--db", POSTGRES.url(), "--db-schema", POSTGRES.schema());
        insert("a-nested", "[".repeat(100_000));
        insert("b-huge", "{\"argv\":[\"" + "x".repeat(10 * 1024 * 1024) + "\"]}");
        insert("c-good", "{\"argv\":[\"sleep\",\"1000\"]}");
        insert("d-good", "{\"argv\":[\"sleep\",\"1001\"]}");
        for (int run = 1; run <= 2; run++) {
            try (RunningDaemon daemon = cli.startDaemon("--stop-timeout", "2")) {
                daemon.awaitOutput("the good rows to run (daemon " + run + ")",
                        out -> out.contains("c-good started") && out.contains("d-good started"));
                daemon.awaitOutput("the poison rows to be reported",
                        out -> out.contains("a-nested invalid") && out.contains("b-huge invalid"));
                Map<String, JsonNode> rows = cli.list().stream()
                        .collect(Collectors.toMap(r -> r.get("name").asText(), Function.identity()));
                assertThat(rows.get("a-nested").get("state").asText()).isEqualTo("INVALID");
                assertThat(rows.get("a-nested").get("lastError").asText()).contains("nesting depth");
                assertThat(rows.get("b-huge").get("state").asText()).isEqualTo("INVALID");
                assertThat(rows.get("b-huge").get("lastError").asText()).contains("more than the limit");
                assertThat(rows.get("c-good").get("state").asText()).isEqualTo("RUNNING");
                assertThat(rows.get("d-good").get("state").asText()).isEqualTo("RUNNING");
                assertThat(daemon.output().length()).as("what the daemon printed stays small").isLessThan(20_000);
                assertThat(daemon.terminate()).isZero();
            }
        }
    }

    private static void insert(String name, String payload) throws Exception {
        try (Connection c = POSTGRES.plainConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO supervisor_processes (name, payload) VALUES (?, ?)")) {
            insert.setString(1, name);
            insert.setString(2, payload);
            insert.executeUpdate();
        }
    }
}
