package dev.supervisor.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supervisor.tests.cli.SupervisorJar.Result;
import dev.supervisor.testsupport.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The daemon end to end: the real jar, one {@code run} per class, commands added and removed
 * with the CLI, observed with {@code list --json} and the operating system's process table.
 * One subclass per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
abstract class DaemonScenarioTest {

    static final Duration WAIT = Waits.PROCESS;
    static final Duration POLL = Duration.ofMillis(200);

    Path home;
    SupervisorJar cli;
    RunningDaemon daemon;

    /** Database options before the command ({@code --db ...}); none for the embedded default. */
    abstract List<String> databaseOptions();

    /** False when the database cannot be used; the tests are then skipped (or failed) by its extension. */
    boolean databaseAvailable() {
        return true;
    }

    @BeforeAll
    void startDaemon() throws Exception {
        if (!databaseAvailable()) {
            return;
        }
        home = Files.createTempDirectory("supervisor-e2e-");
        cli = SupervisorJar.withHome(home, databaseOptions().toArray(String[]::new));
        daemon = cli.startDaemon("--stop-timeout", "5");
        await("the daemon to start").atMost(WAIT).pollInterval(POLL)
                .until(() -> !daemon.isAlive() || daemon.output().contains("supervising"));
        assertThat(daemon.isAlive()).as("%s", daemon).isTrue();
    }

    @AfterAll
    void stopDaemon() throws Exception {
        if (daemon == null) {
            return;
        }
        try {
            List<ProcessHandle> tree = daemon.descendants();
            assertThat(daemon.terminate()).as("exit code after SIGTERM; %s", daemon).isZero();
            assertThat(tree).as("nothing the daemon ran survives it").noneMatch(OsProcesses::running);
        } finally {
            daemon.close();
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void anAddedCommandRunsWithALivePidAndItsStartTime() {
        add("sleeper", "sleep", "1000");
        JsonNode row = awaitRunning("sleeper");
        ProcessHandle process = ProcessHandle.of(row.get("pid").asLong()).orElseThrow();
        assertThat(OsProcesses.running(process)).isTrue();
        assertThat(process.parent().map(ProcessHandle::pid)).as("a child of the daemon").contains(daemon.pid());
        assertThat(process.info().command()).hasValueSatisfying(command -> assertThat(command).endsWith("sleep"));
        Instant recorded = Instant.parse(row.get("processStartedAt").asText());
        assertThat(Duration.between(recorded, process.info().startInstant().orElseThrow()).abs())
                .as("the recorded start time is the process's").isLessThan(Duration.ofMillis(10));
        assertThat(row.get("command").valueStream().map(JsonNode::asText).toList()).containsExactly("sleep", "1000");
        assertThat(row.get("restarts").asInt()).isZero();
        assertThat(row.get("startedAt").isNull()).isFalse();
        assertThat(row.get("lastExit").isNull()).isTrue();
    }

    @Test
    void aProcessKilledWithSigkillComesBackWithANewPid() {
        add("crasher", "sleep", "1000");
        long first = awaitRunning("crasher").get("pid").asLong();
        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        JsonNode row = awaitRow(cli, daemon, "crasher", "to come back with a new pid",
                r -> running(r) && r.get("pid").asLong() != first);
        assertThat(ProcessHandle.of(row.get("pid").asLong())).hasValueSatisfying(p -> assertThat(OsProcesses.running(p)).isTrue());
        assertThat(row.get("restarts").asInt()).isEqualTo(1);
        assertThat(row.get("lastExit").asInt()).as("128 + SIGKILL").isEqualTo(137);
    }

    @Test
    void aCommandThatCannotRunFailsWithItsReasonAndLeavesTheOthersRunning() {
        add("steady", "sleep", "1000");
        add("missing", "/nonexistent/program");
        JsonNode missing = awaitRow(cli, daemon, "missing", "to fail", r -> !r.get("lastError").isNull());
        assertThat(missing.get("lastError").asText()).contains("/nonexistent/program", "No such file or directory");
        assertThat(missing.get("lastExitKind").asText()).isEqualTo("START_FAILED");
        assertThat(missing.get("pid").isNull()).isTrue();
        awaitRunning("steady");
        assertThat(daemon.isAlive()).isTrue();
    }

    @Test
    void removeStopsTheProcessAndItsChildren() {
        add("family", "sh", "-c", "sleep 1000 & sleep 1000 & wait");
        ProcessHandle parent = ProcessHandle.of(awaitRunning("family").get("pid").asLong()).orElseThrow();
        List<ProcessHandle> children = await("both children").atMost(WAIT).pollInterval(POLL)
                .until(() -> parent.descendants().toList(), list -> list.size() == 2);
        List<ProcessHandle> tree = new ArrayList<>(children);
        tree.add(parent);

        Result removed = cli.run("remove", "family");

        assertThat(removed.code()).as("%s", removed).isZero();
        await("the process and its children to be gone").atMost(WAIT).pollInterval(POLL)
                .until(() -> tree.stream().noneMatch(OsProcesses::running));
        assertThat(cli.row("family")).isEmpty();
        await("the retirement to be printed").atMost(WAIT).pollInterval(POLL)
                .until(() -> daemon.output().contains("family retired"));
    }

    @Test
    void logsShowWhatTheProcessWrote() {
        add("talker", "sh", "-c", "echo hello from talker; echo to stderr >&2; sleep 1000");
        awaitRunning("talker");
        Result logs = await("the output to be captured").atMost(WAIT).pollInterval(POLL)
                .until(() -> cli.run("logs", "talker", "--lines", "5"), r -> r.out().contains("to stderr"));
        assertThat(logs.code()).isZero();
        assertThat(logs.out()).isEqualTo("hello from talker\nto stderr\n");
        assertThat(home.resolve("logs").resolve("talker.log")).exists();
    }

    @Test
    void restartGivesANewPidAndAttemptAndIsNotAFailure() {
        add("restarted", "sleep", "1000");
        JsonNode first = awaitRunning("restarted");
        ProcessHandle old = ProcessHandle.of(first.get("pid").asLong()).orElseThrow();

        Result restart = cli.run("restart", "restarted");

        assertThat(restart.code()).as("%s", restart).isZero();
        JsonNode row = cli.row("restarted").orElseThrow();
        assertThat(restart.out()).isEqualTo("restarted restarted: pid " + row.get("pid").asLong() + ", attempt 2\n");
        assertThat(running(row)).as("RUNNING when restart returns: %s", row).isTrue();
        assertThat(row.get("pid").asLong()).isNotEqualTo(old.pid());
        assertThat(row.get("attempt").asInt()).isEqualTo(first.get("attempt").asInt() + 1);
        assertThat(row.get("lastExitKind").asText()).as("a graceful stop, not a failure").isEqualTo("STOPPED");
        assertThat(row.get("lastError").isNull()).isTrue();
        assertThat(OsProcesses.running(old)).as("the old process is gone").isFalse();
    }

    @Test
    @Timeout(240) // it watches the row across a full pass (30 s), between CLI commands of seconds each on a loaded machine
    void stopPausesTheRowWhichStaysDownUntilStart() {
        String marker = Long.toString(2_000_000 + ProcessHandle.current().pid() % 100_000);
        add("paused", "sleep", marker);
        long first = awaitRunning("paused").get("pid").asLong();

        Result stop = cli.run("stop", "paused");

        assertThat(stop.code()).as("%s", stop).isZero();
        assertThat(stop.out()).isEqualTo("stopped paused (PAUSED until: supervisor start paused)\n");
        JsonNode row = cli.row("paused").orElseThrow();
        assertThat(row.get("state").asText()).isEqualTo("PAUSED");
        assertThat(row.get("paused").asBoolean()).isTrue();
        assertThat(row.get("pid").isNull()).isTrue();
        assertThat(ProcessHandle.of(first).filter(OsProcesses::running)).isEmpty();
        Result status = cli.run("status", "paused");
        assertThat(status.out()).contains("state:         PAUSED (stopped; start it with: supervisor start paused)");
        // the daemon's full pass runs every 30 s: the row stays down across one
        await("the paused row to stay down across a full pass").during(Duration.ofSeconds(35)).atMost(Duration.ofSeconds(40))
                .pollInterval(POLL).until(() -> OsProcesses.withCommandLine("sleep", marker).isEmpty());
        assertThat(cli.row("paused").orElseThrow().get("state").asText()).isEqualTo("PAUSED");

        Result start = cli.run("start", "paused");

        assertThat(start.code()).as("%s", start).isZero();
        JsonNode resumed = cli.row("paused").orElseThrow();
        assertThat(running(resumed)).as("RUNNING when start returns: %s", resumed).isTrue();
        assertThat(resumed.get("paused").asBoolean()).isFalse();
        assertThat(resumed.get("pid").asLong()).isNotEqualTo(first);
        assertThat(start.out()).isEqualTo("started paused: pid " + resumed.get("pid").asLong() + ", attempt 2\n");
        assertThat(cli.run("start", "paused").out()).isEqualTo("paused is not stopped (RUNNING); nothing to start\n");
    }

    @Test
    void statusJsonIsTheRowOfListJson() throws Exception {
        add("described", "sleep", "1000");
        awaitRunning("described");
        Result status = cli.run("status", "described", "--json");
        assertThat(status.code()).as("%s", status).isZero();
        assertThat(new ObjectMapper().readTree(status.out())).isEqualTo(cli.row("described").orElseThrow());
        Result human = cli.run("status", "described");
        assertThat(human.out()).contains("name:          described", "state:         RUNNING", "attempt:       1",
                "command:       sleep 1000", "node:          " + daemon.pid() + "@");
    }

    @Test
    void anUpdateOfTheCommandBySqlReplacesTheRunningCommand() throws Exception {
        add("updated", "sleep", "1001");
        long first = awaitRunning("updated").get("pid").asLong();

        sql("UPDATE supervisor_processes SET payload = REPLACE(payload, '1001', '1002') WHERE name = 'updated'");

        JsonNode row = awaitRow(cli, daemon, "updated", "to run the new command",
                r -> running(r) && r.get("command").get(1).asText().equals("1002"));
        assertThat(ProcessHandle.of(row.get("pid").asLong()).orElseThrow().info().arguments()).hasValue(new String[] {"1002"});
        assertThat(ProcessHandle.of(first).filter(OsProcesses::running)).as("the old command is stopped").isEmpty();
        assertThat(row.get("lastExitKind").asText()).isEqualTo("STOPPED");
    }

    @Test
    void everyAttemptIsToldItsNameNumberAndHowThePreviousOneEnded() throws Exception {
        Path seen = home.resolve("attempts.txt");
        add("told", "sh", "-c", "echo \"$SUPERVISOR_PROCESS_NAME $SUPERVISOR_ATTEMPT [$SUPERVISOR_PREVIOUS_EXIT]"
                + " $(env | grep -c '^SUPERVISOR_DB_')\" >> " + seen + "; [ \"$SUPERVISOR_ATTEMPT\" = 1 ] && exit 3; exec sleep 1000");
        long second = awaitRow(cli, daemon, "told", "to run attempt 2", r -> running(r) && r.get("attempt").asInt() == 2)
                .get("pid").asLong();
        ProcessHandle.of(second).orElseThrow().destroyForcibly();
        awaitRow(cli, daemon, "told", "to run attempt 3", r -> running(r) && r.get("attempt").asInt() == 3);
        assertThat(cli.run("restart", "told").code()).isZero();

        assertThat(Files.readAllLines(seen)).as("name, attempt, previous exit, SUPERVISOR_DB_* variables")
                .containsExactly("told 1 [] 0", "told 2 [exit:3] 0", "told 3 [signal:KILL] 0", "told 4 [stopped] 0");
    }

    /** Runs statements on the daemon's database, as another program would. */
    abstract void sql(String... statements) throws Exception;

    void add(String name, String... command) {
        List<String> args = new ArrayList<>(List.of("add", name, "--"));
        args.addAll(List.of(command));
        Result added = cli.run(args.toArray(String[]::new));
        assertThat(added.code()).as("add %s: %s", name, added).isZero();
    }

    /** Waits until list --json says name is RUNNING with a pid, and returns its row. */
    JsonNode awaitRunning(String name) {
        return awaitRow(cli, daemon, name, "to run", DaemonScenarioTest::running);
    }

    /**
     * Polls {@code list --json} until name's row satisfies condition, and returns it; on timeout,
     * fails with the last row seen and what the daemon printed.
     */
    static JsonNode awaitRow(SupervisorJar cli, RunningDaemon daemon, String name, String what,
            Predicate<JsonNode> condition) {
        AtomicReference<Optional<JsonNode>> last = new AtomicReference<>(Optional.empty());
        try {
            return await(name + " " + what).atMost(WAIT).pollInterval(POLL)
                    .until(() -> {
                        last.set(cli.row(name));
                        return last.get().filter(condition);
                    }, Optional::isPresent)
                    .orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("waited " + WAIT + " for " + name + " " + what + "; its row: "
                    + last.get().map(Object::toString).orElse("none") + "; " + daemon, e);
        }
    }

    static boolean running(JsonNode row) {
        return row.get("state").asText().equals("RUNNING") && !row.get("pid").isNull();
    }
}
