package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.testsupport.Waits;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The H2 own-table recipe of {@code docs/jdbc.md}, run exactly as written ({@link DocRecipe}) on a
 * table with a {@code BIGINT} key: inserts, an update of the payload and a delete by plain SQL
 * reach the processes through the trigger, with the periodic pass an hour away.
 */
@Timeout(60)
class H2OwnTableRecipeTest {

    private static final Duration WAIT = Waits.DATABASE;

    private final H2Memory h2 = new H2Memory();
    private final RunningPayloads<Long> payloads = new RunningPayloads<>();
    private final Map<Long, String> running = payloads.running;

    @AfterEach
    void close() {
        h2.close();
    }

    @Test
    void theRecipeMakesEveryChangeReachTheProcesses() {
        h2.sql("CREATE TABLE jobs (job_id BIGINT PRIMARY KEY, spec VARCHAR NOT NULL)");
        h2.sql(DocRecipe.statements("h2-own-table").toArray(String[]::new));
        try (JdbcTable<Long, Runner> table = JdbcTable.builder(h2.database, KeyCodec.LONG, payloads.decoder()).table("jobs").keyColumn("job_id").payloadColumn("spec").revisionColumn("version").build();
             Supervisor<Long, Runner> supervisor = Supervisor.builder(table).reconcileInterval(Duration.ofHours(1)).build()) {
            supervisor.launch();

            h2.sql("INSERT INTO jobs (job_id, spec) VALUES (1, 'one'), (2, 'two')");
            await().atMost(WAIT).until(() -> running.size() == 2);

            h2.sql("UPDATE jobs SET spec = 'one-v2' WHERE job_id = 1");
            await().atMost(WAIT).until(() -> "one-v2".equals(running.get(1L)));

            h2.sql("DELETE FROM jobs WHERE job_id = 2");
            await().atMost(WAIT).until(() -> !running.containsKey(2L));
            assertThat(supervisor.keys()).containsExactly(1L);
        }
    }
}
