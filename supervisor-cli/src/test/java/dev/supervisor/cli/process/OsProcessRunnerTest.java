package dev.supervisor.cli.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.KeyState;
import dev.supervisor.ProcessExit;
import dev.supervisor.ProcessStatus;
import dev.supervisor.RestartMode;
import dev.supervisor.Supervisor;
import dev.supervisor.cli.CommandSpec;
import dev.supervisor.cli.Home;
import dev.supervisor.cli.daemon.RunnerSettings;
import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testsupport.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The runner under a real supervisor, on an in-memory table: what each way of ending looks like. */
@Timeout(60)
class OsProcessRunnerTest {

    private static final Duration WAIT = Waits.PROCESS;

    @TempDir
    Path dir;

    private final InMemoryTable<String, OsProcessRunner> table = new InMemoryTable<>();
    private final LiveProcesses live = new LiveProcesses();
    private CommandLauncher launcher;
    private final dev.supervisor.cli.health.HealthChecks checks = new dev.supervisor.cli.health.HealthChecks(
            dev.supervisor.Clock.system());
    private RunnerSettings settings;
    private Supervisor<String, OsProcessRunner> supervisor;

    @AfterEach
    void close() {
        if (supervisor != null) {
            supervisor.close();
        }
        if (launcher != null) {
            launcher.close();
        }
        checks.close();
    }

    private void launch(ExecutableAllowList allow) {
        launcher = CommandLauncher.detect(new Home(dir), new ChildEnvironment(List.of()));
        settings = new RunnerSettings(new Home(dir), allow, Duration.ofSeconds(5), 1024, 1, live, launcher, false, checks);
        supervisor = Supervisor.builder(table).restartPolicyFor((key, runner) -> runner.restartPolicy())
                .stopTimeout(Duration.ofSeconds(10)).listener(live).build();
        supervisor.launch();
    }

    private void put(String name, RestartMode mode, String... argv) {
        table.put(name, new OsProcessRunner(name, new CommandSpec(List.of(argv), Map.of("WHO", "runner-test"),
                Optional.of(dir), mode), settings));
    }

    private static boolean isSleep1000(ProcessHandle process) {
        return process.info().arguments().map(args -> args.length == 1 && args[0].equals("1000")).orElse(false);
    }

    private ProcessStatus<String> awaitStatus(String name, KeyState state) {
        return await().atMost(WAIT).until(() -> supervisor.status(name).orElse(null), s -> s != null && s.state() == state);
    }

    @Test
    void anExitWithinASecondIsAFailedStartWithItsCode() {
        launch(ExecutableAllowList.of(List.of()));
        put("quick", RestartMode.NEVER, "sh", "-c", "exit 3");
        ProcessExit exit = awaitStatus("quick", KeyState.COMPLETED).lastExit().orElseThrow();
        assertThat(exit.kind()).isEqualTo(ProcessExit.Kind.START_FAILED);
        assertThat(exit.error()).hasValueSatisfying(e -> assertThat(e).hasToString("exited with code 3 within 1 s of starting"));
        assertThat(live.exitCode("quick", exit)).hasValue(3);
    }

    @Test
    void aProgramThatCannotBeSpawnedFailsToStartWithTheSystemsReason() {
        launch(ExecutableAllowList.of(List.of()));
        put("missing", RestartMode.NEVER, dir.resolve("no-such-program").toString());
        ProcessExit exit = awaitStatus("missing", KeyState.COMPLETED).lastExit().orElseThrow();
        assertThat(exit.kind()).isEqualTo(ProcessExit.Kind.START_FAILED);
        assertThat(exit.error().orElseThrow()).hasToString("cannot run " + dir.resolve("no-such-program")
                + ": No such file or directory");
    }

    @Test
    void aRefusedProgramIsNeverSpawnedAndGivesUp() {
        launch(ExecutableAllowList.of(List.of(Pattern.compile("/nowhere/.*"))));
        put("refused", RestartMode.ALWAYS, "sh", "-c", "touch " + dir.resolve("ran"));
        ProcessExit exit = awaitStatus("refused", KeyState.GIVEN_UP).lastExit().orElseThrow();
        assertThat(exit.error().orElseThrow().getMessage()).startsWith("refused: /").endsWith("matches no --allow pattern (/nowhere/.*)");
        assertThat(dir.resolve("ran")).doesNotExist();
    }

    @Test
    void aRunningCommandWritesItsLogAndAStopEndsItsWholeTree() throws Exception {
        launch(ExecutableAllowList.of(List.of()));
        put("worker", RestartMode.ALWAYS, "sh", "-c", "echo \"hello $WHO\"; echo oops >&2; sleep 1000 & wait");
        ProcessStatus<String> running = awaitStatus("worker", KeyState.RUNNING);
        ProcessHandle root = ProcessHandle.of(live.pid("worker", running.attempt()).orElseThrow()).orElseThrow();
        List<ProcessHandle> tree = await().atMost(WAIT).until(() -> root.descendants().toList(), d -> d.size() == 1);
        assertThat(live.of(running).startedAt()).isEqualTo(root.info().startInstant());

        supervisor.stop("worker");

        assertThat(ProcessGroup.running(root)).isFalse();
        assertThat(tree).noneMatch(ProcessGroup::running);
        assertThat(supervisor.status("worker").orElseThrow().lastExit().orElseThrow().kind()).isEqualTo(ProcessExit.Kind.STOPPED);
        assertThat(dir.resolve("logs").resolve("worker.log")).content().contains("hello runner-test\n", "oops\n");
    }

    @Test
    void childrenLeftBehindByACommandThatExitsOnItsOwnAreStoppedBeforeItsNextAttempt() throws Exception {
        launch(ExecutableAllowList.of(List.of()));
        // exits only when told (not after a fixed sleep racing the 1 s start grace on a loaded machine)
        put("leaky", RestartMode.NEVER, "sh", "-c", "sleep 1000 & while [ ! -e exit-now ]; do sleep 0.05; done; exit 4");
        ProcessStatus<String> running = awaitStatus("leaky", KeyState.RUNNING);
        ProcessHandle root = ProcessHandle.of(live.pid("leaky", running.attempt()).orElseThrow()).orElseThrow();
        ProcessHandle child = await().atMost(WAIT).until(() -> root.descendants().filter(OsProcessRunnerTest::isSleep1000).findFirst(),
                Optional::isPresent).orElseThrow();
        Files.createFile(dir.resolve("exit-now"));

        ProcessExit exit = awaitStatus("leaky", KeyState.COMPLETED).lastExit().orElseThrow();

        assertThat(exit.kind()).isEqualTo(ProcessExit.Kind.FAILED);
        assertThat(live.exitCode("leaky", exit)).hasValue(4);
        assertThat(ProcessGroup.running(child)).as("the orphaned sleep").isFalse();
    }
}
