package dev.supervisor.sample;

import static org.awaitility.Awaitility.await;

import dev.supervisor.KeyState;
import dev.supervisor.ProcessStatus;
import dev.supervisor.Supervisor;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The sample, the application docs/spring-boot.md builds (its pom's dependencies and its classes are
 * the docs' snippets), runs: a countdown row runs, retires itself by deleting its row, and is not
 * restarted. One subclass per database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class SampleScenarios {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Supervisor<String, Countdown> supervisor;

    @Test
    void aCountdownRunsAndRetiresItself() {
        String key = "quick-" + UUID.randomUUID();
        jdbc.update("INSERT INTO supervisor_processes (name, payload) VALUES (?, '2')", key);
        await().atMost(WAIT).until(() -> supervisor.status(key).map(ProcessStatus::state).orElse(null) == KeyState.RUNNING);
        await().atMost(WAIT).until(() ->
                jdbc.queryForObject("SELECT COUNT(*) FROM supervisor_processes WHERE name = ?", Long.class, key) == 0);
        await().atMost(WAIT).until(() -> supervisor.status(key).isEmpty());
    }
}
