package dev.supervisor.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The daemon's scenario on the embedded default: an H2 file in the home, shared by the daemon and each CLI command. */
class H2DaemonScenarioTest extends DaemonScenarioTest {

    @Override
    List<String> databaseOptions() {
        return List.of();
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
            assertThat(follow.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
