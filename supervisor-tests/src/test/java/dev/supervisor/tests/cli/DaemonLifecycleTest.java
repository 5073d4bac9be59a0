package dev.supervisor.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import dev.supervisor.tests.cli.SupervisorJar.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's own life, one daemon per test on the embedded default: its stop, its lock, its --allow list. */
@Timeout(120)
class DaemonLifecycleTest {

    @TempDir
    Path home;

    @Test
    void sigtermStopsEveryProcessOfItsTreeAndExitsZero() throws Exception {
        SupervisorJar cli = SupervisorJar.withHome(home);
        try (RunningDaemon daemon = cli.startDaemon()) {
            add(cli, "one", "sh", "-c", "sleep 1000 & wait");
            add(cli, "two", "sh", "-c", "sh -c 'sleep 1000 & wait' & wait");
            DaemonScenarioTest.awaitRow(cli, daemon, "one", "to run", DaemonScenarioTest::running);
            DaemonScenarioTest.awaitRow(cli, daemon, "two", "to run", DaemonScenarioTest::running);
            List<ProcessHandle> tree = await("every process of the tree").atMost(DaemonScenarioTest.WAIT)
                    .pollInterval(DaemonScenarioTest.POLL).until(daemon::descendants, d -> d.size() >= 5);

            Result second = cli.run("run");
            assertThat(second.code()).as("a second daemon on the same home: %s", second).isEqualTo(1);
            assertThat(second.err()).contains("another daemon is running on", "pid " + daemon.pid());

            assertThat(daemon.terminate()).as("exit code; %s", daemon).isZero();
            assertThat(tree).as("no process of the daemon's tree survives it").noneMatch(OsProcesses::running);
            assertThat(daemon.output()).contains("SIGTERM: stopping every process", "one stopped", "two stopped")
                    .endsWith("stopped\n");
            assertThat(cli.list()).allSatisfy(row -> {
                assertThat(row.get("state").getAsString()).isEqualTo("STOPPED");
                assertThat(row.get("pid").isJsonNull()).isTrue();
            });
        }
    }

    @Test
    void allowRefusesRowsWhoseProgramDoesNotMatchAndRunsTheOthers() {
        SupervisorJar cli = SupervisorJar.withHome(home);
        try (RunningDaemon daemon = cli.startDaemon("--allow", ".*/sleep")) {
            add(cli, "allowed", "sleep", "1000");
            add(cli, "refused", "sh", "-c", "sleep 1000");
            JsonObject refused = DaemonScenarioTest.awaitRow(cli, daemon, "refused", "to give up",
                    r -> r.get("state").getAsString().equals("GIVEN_UP"));
            assertThat(refused.get("lastError").getAsString()).startsWith("refused: /").contains("/sh matches no --allow pattern");
            assertThat(refused.get("pid").isJsonNull()).isTrue();
            DaemonScenarioTest.awaitRow(cli, daemon, "allowed", "to run", DaemonScenarioTest::running);
            assertThat(daemon.output()).contains("refused failed to start: refused: ");
        }
    }

    private static void add(SupervisorJar cli, String name, String... command) {
        String[] args = new String[command.length + 3];
        args[0] = "add";
        args[1] = name;
        args[2] = "--";
        System.arraycopy(command, 0, args, 3, command.length);
        Result added = cli.run(args);
        assertThat(added.code()).as("%s", added).isZero();
    }
}
