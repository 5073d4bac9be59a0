package dev.supervisor.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.tests.cli.SupervisorJar.Result;
import dev.supervisor.tests.jdbc.PostgresDatabaseExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two daemons, two homes, one PostgreSQL schema: the second refuses to start, naming the first;
 * both with {@code --cluster} share the rows, each command running once on one of them, and the
 * commands of one killed with SIGKILL die with it and come back on the other.
 */
@Timeout(240)
class PostgresTwoDaemonsTest {

    private static final int COMMANDS = 4;

    @RegisterExtension
    static final PostgresDatabaseExtension POSTGRES = new PostgresDatabaseExtension();

    @TempDir
    Path dir;

    private SupervisorJar cli(String home) throws Exception {
        return SupervisorJar.withHome(Files.createDirectories(dir.resolve(home)), "--db", POSTGRES.url(), "--db-schema",
                POSTGRES.schema());
    }

    @Test
    void aSecondDaemonRefusesUnlessBothAreClusteredAndThenEachCommandRunsOnceAndFailsOver() throws Exception {
        SupervisorJar one = cli("one");
        SupervisorJar two = cli("two");
        int base = 100_000 + ThreadLocalRandom.current().nextInt(800_000);
        try (RunningDaemon first = one.startDaemon("--stop-timeout", "2")) {
            first.awaitOutput("the first daemon to start", out -> out.contains("binding:"));
            Result refused = two.run("run");
            assertThat(refused.code()).as("%s", refused).isEqualTo(1);
            assertThat(refused.err()).contains("another daemon runs on this table", "node " + first.pid() + "@",
                    "home " + dir.resolve("one"), "last seen", "--cluster");
            assertThat(first.terminate()).isZero();
        }
        for (int i = 0; i < COMMANDS; i++) {
            Result added = one.run("add", "c" + i, "--", "sh", "-c", "sleep " + (base + 2 * i) + " & exec sleep " + (base + 2 * i + 1));
            assertThat(added.code()).as("%s", added).isZero();
        }
        try (RunningDaemon a = one.startDaemon("--cluster", "--stop-timeout", "2");
             RunningDaemon b = two.startDaemon("--cluster", "--stop-timeout", "2")) {
            await("the commands to be shared").atMost(DaemonScenarioTest.WAIT).pollInterval(DaemonScenarioTest.POLL)
                    .until(() -> !leadersUnder(a, base).isEmpty() && !leadersUnder(b, base).isEmpty());
            awaitEachOnce(base);
            List<Integer> ofA = leadersUnder(a, base);

            a.crash();
            await("the killed daemon's commands and their children to die with it").atMost(DaemonScenarioTest.WAIT)
                    .pollInterval(DaemonScenarioTest.POLL).until(() -> ofA.stream().allMatch(i ->
                            OsProcesses.withCommandLine("sleep", Integer.toString(base + 2 * i + 1)).isEmpty()
                                    && OsProcesses.withCommandLine("sleep", Integer.toString(base + 2 * i)).isEmpty()));
            awaitEachOnce(base);
            assertThat(leadersUnder(b, base)).as("every command on the survivor; %s", b).hasSize(COMMANDS);
            assertThat(b.terminate()).isZero();
        } finally {
            IntStream.range(0, 2 * COMMANDS).forEach(i -> OsProcesses.withCommandLine("sleep", Integer.toString(base + i))
                    .forEach(ProcessHandle::destroyForcibly));
        }
    }

    /** Waits until every command and its child run exactly once, across both daemons. */
    private static void awaitEachOnce(int base) {
        await("each command to run exactly once").atMost(DaemonScenarioTest.WAIT).pollInterval(DaemonScenarioTest.POLL)
                .until(() -> IntStream.range(0, 2 * COMMANDS)
                        .allMatch(i -> OsProcesses.withCommandLine("sleep", Integer.toString(base + i)).size() == 1));
    }

    /** The indexes of the commands whose process is a child of daemon. */
    private static List<Integer> leadersUnder(RunningDaemon daemon, int base) {
        return IntStream.range(0, COMMANDS).filter(i -> OsProcesses.withCommandLine("sleep", Integer.toString(base + 2 * i + 1))
                .stream().anyMatch(p -> p.parent().map(ProcessHandle::pid).orElse(-1L) == daemon.pid())).boxed().toList();
    }
}
