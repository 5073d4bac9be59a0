package dev.supervisor.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.jdbc.Database;
import dev.supervisor.testsupport.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The daemon's scenario on the embedded default: an H2 file in the home, shared by the daemon and each CLI command. */
class H2DaemonScenarioTest extends DaemonScenarioTest {

    @Override
    List<String> databaseOptions() {
        return List.of();
    }

    @Override
    void sql(String... statements) throws Exception {
        // a client of the daemon's H2 server (the file's AUTO_SERVER), as another program would be
        try (Connection c = DriverManager.getConnection(Database.h2FileUrl(home.resolve("db").resolve("supervisor")));
             Statement statement = c.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    @Test
    void logsFollowPrintsWhatTheProcessWritesLater() throws Exception {
        add("counter", "sh", "-c", "i=0; while true; do i=$((i+1)); echo \"line $i\"; sleep 0.1; done");
        awaitRunning("counter");
        Path followed = home.resolve("follow.out");
        Process follow = cli.command(List.of("logs", "counter", "--lines", "1", "--follow"))
                .redirectErrorStream(true).redirectOutput(followed.toFile()).start();
        try {
            List<String> lines = await("lines written after logs started").atMost(WAIT).pollInterval(POLL)
                    .until(() -> Files.readAllLines(followed), l -> l.size() >= 10);
            int first = Integer.parseInt(lines.getFirst().substring("line ".length()));
            for (int i = 0; i < lines.size(); i++) {
                assertThat(lines.get(i)).isEqualTo("line " + (first + i));
            }
            assertThat(follow.isAlive()).as("--follow goes on until interrupted").isTrue();
        } finally {
            follow.destroy();
            assertThat(follow.waitFor(Waits.PROCESS.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
    }
}
