package dev.supervisor.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.KeyState;
import dev.supervisor.ProcessStatus;
import dev.supervisor.Supervisor;
import dev.supervisor.testsupport.Waits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The sample, the application docs/spring-boot.md builds (its pom's dependencies and its classes are
 * the docs' snippets), runs: a countdown row runs, retires itself by deleting its row, and is not
 * restarted; a running one is on the actuator endpoint and the status page, and stops when its row
 * is deleted. One subclass per database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class SampleScenarios {

    static final Duration WAIT = Waits.DATABASE;

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Supervisor<String, Countdown> supervisor;

    @LocalServerPort
    int port;

    @Test
    void aCountdownRunsAndRetiresItself() {
        String key = "quick-" + UUID.randomUUID();
        jdbc.update("INSERT INTO supervisor_processes (name, payload) VALUES (?, '1')", key);
        await().atMost(WAIT).until(() ->
                jdbc.queryForObject("SELECT COUNT(*) FROM supervisor_processes WHERE name = ?", Long.class, key) == 0);
        await().atMost(WAIT).until(() -> supervisor.status(key).isEmpty());
    }

    @Test
    void aRunningCountdownIsOnTheEndpointAndThePageAndStopsWhenItsRowIsDeleted() throws Exception {
        String key = "long-" + UUID.randomUUID();
        jdbc.update("INSERT INTO supervisor_processes (name, payload) VALUES (?, '600')", key);
        await().atMost(WAIT).until(() -> supervisor.status(key).map(ProcessStatus::state).orElse(null) == KeyState.RUNNING);
        assertThat(get("/actuator/supervisor/" + key)).contains("\"key\":\"" + key + "\"", "\"state\":\"running\"");
        assertThat(get("/supervisor/api/processes/" + key)).contains("\"name\":\"" + key + "\"", "\"state\":\"RUNNING\"");
        assertThat(get("/supervisor/")).contains("<script src=\"status.js\"");

        jdbc.update("DELETE FROM supervisor_processes WHERE name = ?", key);
        await().atMost(WAIT).until(() -> supervisor.status(key).isEmpty());
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }
}
