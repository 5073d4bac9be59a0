package dev.supervisor.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.supervisor.tests.cli.SupervisorJar.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
                assertThat(row.get("state").asText()).isEqualTo("STOPPED");
                assertThat(row.get("pid").isNull()).isTrue();
            });
        }
    }

    @Test
    void allowRefusesRowsWhoseProgramDoesNotMatchAndRunsTheOthers() throws Exception {
        SupervisorJar cli = SupervisorJar.withHome(home);
        try (RunningDaemon daemon = cli.startDaemon("--allow", ".*/sleep")) {
            add(cli, "allowed", "sleep", "1000");
            add(cli, "refused", "sh", "-c", "sleep 1000");
            JsonNode refused = DaemonScenarioTest.awaitRow(cli, daemon, "refused", "to give up",
                    r -> r.get("state").asText().equals("GIVEN_UP"));
            assertThat(refused.get("lastError").asText()).startsWith("refused: /").contains("/sh matches no --allow pattern");
            assertThat(refused.get("pid").isNull()).isTrue();
            DaemonScenarioTest.awaitRow(cli, daemon, "allowed", "to run", DaemonScenarioTest::running);
            assertThat(daemon.output()).contains("refused failed to start: refused: ");
            assertThat(daemon.terminate()).isZero();
        }
    }

    @Test
    void aCommandSeesItsSupervisionButNoSecret() throws Exception {
        String password = "Hunter2-Secret";
        SupervisorJar cli = SupervisorJar.withHome(home).withEnvironment(Map.of("SUPERVISOR_DB_PASSWORD", password,
                "SUPERVISOR_DB_SCHEMA", "PUBLIC", "API_TOKEN", "token-to-hide", "KEPT", "kept-value"));
        Path env = home.resolve("env.out");
        try (RunningDaemon daemon = cli.startDaemon("--unset-env", "API_TOKEN")) {
            add(cli, "printer", "sh", "-c", "env > " + env + "; exec sleep 1000");
            daemon.awaitOutput("printer to run", out -> out.contains("printer started"));
            List<String> lines = Files.readAllLines(env);
            assertThat(lines).as("the command's environment").contains("KEPT=kept-value", "SUPERVISOR_PROCESS_NAME=printer",
                    "SUPERVISOR_ATTEMPT=1", "SUPERVISOR_PREVIOUS_EXIT=").noneMatch(l -> l.startsWith("SUPERVISOR_DB_"))
                    .noneMatch(l -> l.startsWith("API_TOKEN=")).noneMatch(l -> l.contains(password));
            assertThat(daemon.terminate()).isZero();
            assertThat(daemon.output()).doesNotContain(password).doesNotContainIgnoringCase("password=h");
        }
    }

    @Test
    void aClusteredDaemonTellsEachAttemptItsEpoch() throws Exception {
        SupervisorJar cli = SupervisorJar.withHome(home);
        Path env = home.resolve("epoch.out");
        try (RunningDaemon daemon = cli.startDaemon("--cluster")) {
            add(cli, "fenced", "sh", "-c", "echo \"epoch=$SUPERVISOR_EPOCH attempt=$SUPERVISOR_ATTEMPT\" > " + env
                    + "; exec sleep 1000");
            daemon.awaitOutput("fenced to run", out -> out.contains("fenced started"));
            assertThat(Files.readString(env)).as("the fencing token of the daemon's lease").matches("epoch=[1-9][0-9]* attempt=1\n");
            assertThat(daemon.terminate()).isZero();
        }
    }

    @Test
    void addRefusesAMissingDirectoryAndWarnsWhenNoDaemonRuns() {
        SupervisorJar cli = SupervisorJar.withHome(home);
        Result missing = cli.run("add", "nowhere", "--dir", home.resolve("no-such-dir").toString(), "--", "sleep", "1");
        assertThat(missing.code()).as("%s", missing).isEqualTo(1);
        assertThat(missing.err()).contains("no directory " + home.resolve("no-such-dir"));
        Result added = cli.run("add", "somewhere", "--", "sleep", "1");
        assertThat(added.code()).as("%s", added).isZero();
        assertThat(added.err()).contains("warning: no daemon is running on", "home " + home);
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
