// docs: countdown
package dev.supervisor.sample;

import dev.supervisor.ProcessContext;
import dev.supervisor.Runner;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Counts down from its row's payload, one tick a second, then retires itself: it deletes its own
 * row (so the supervisor does not restart it) and returns. A stop request (its row deleted, the
 * application closing) ends it early.
 */
public final class Countdown implements Runner {

    private static final Logger LOG = LoggerFactory.getLogger(Countdown.class);

    private final int from;
    private final JdbcTemplate jdbc;

    Countdown(int from, JdbcTemplate jdbc) {
        if (from < 0) {
            throw new IllegalArgumentException("a countdown starts at 0 or more, not " + from);
        }
        this.from = from;
        this.jdbc = jdbc;
    }

    @Override
    public void run(ProcessContext context) throws InterruptedException {
        String key = context.key(String.class); // the typed key
        context.ready();
        for (int left = from; left > 0; left--) {
            LOG.info("{}: {}", key, left);
            if (context.awaitStop(Duration.ofSeconds(1))) {
                LOG.info("{}: stopped with {} left", key, left);
                return;
            }
        }
        LOG.info("{}: lift-off, retiring", key);
        jdbc.update("DELETE FROM supervisor_processes WHERE name = ?", key);
    }
}
// docs: end
