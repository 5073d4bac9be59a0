package dev.supervisor.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/** The sample runs: a countdown row runs, retires itself by deleting its row, and is not restarted. */
@SpringBootTest(properties = "spring.datasource.url=jdbc:h2:mem:sample;DB_CLOSE_DELAY=-1")
class SampleApplicationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aCountdownRunsAndRetiresItself() {
        jdbc.update("INSERT INTO supervisor_processes (name, payload) VALUES ('quick', '1')");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                jdbc.queryForObject("SELECT COUNT(*) FROM supervisor_processes WHERE name = 'quick'", Long.class) == 0);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM supervisor_processes", Long.class)).isZero();
    }
}
