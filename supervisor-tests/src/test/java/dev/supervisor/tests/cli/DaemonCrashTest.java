package dev.supervisor.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.supervisor.tests.cli.SupervisorJar.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The daemon's promise when things go wrong, on the embedded default: a daemon killed with
 * SIGKILL at any moment takes its commands with it and the next daemon of its home runs each
 * command exactly once; commands that fork and exit, or double-fork into a session of their
 * own, leave nothing behind. Processes are recognised by command lines unique to each test
 * ({@code sleep N} with a random N), on the whole machine.
 */
@Timeout(180)
class DaemonCrashTest {

    private static final int COMMANDS = 3;
    /** How often the kill moments are checked: they pass quickly. */
    private static final Duration FAST_POLL = Duration.ofMillis(5);

    @TempDir
    Path home;

    /** When the first daemon is killed. */
    enum KillMoment {
        /** As soon as the first command is recorded in the spawn journal: within its start grace. */
        FIRST_SPAWN,
        /** Once every command has forked its child: still within the start grace, usually. */
        ALL_FORKED,
        /** Once every command is RUNNING: after the start grace. */
        ALL_RUNNING
    }

    @ParameterizedTest
    @EnumSource(KillMoment.class)
    void aDaemonKilledAtAnyMomentLeavesEachCommandRunningExactlyOnceUnderTheNext(KillMoment moment) throws Exception {
        SupervisorJar cli = SupervisorJar.withHome(home);
        int base = 100_000 + ThreadLocalRandom.current().nextInt(800_000);
        Path marks = Files.createDirectories(home.resolve("marks"));
        for (int i = 0; i < COMMANDS; i++) {
            // the command forks a child (in its session and cgroup), marks that it did, then becomes a second sleep
            add(cli, "c" + i, "sh", "-c", "sleep " + (base + 2 * i) + " & touch " + marks.resolve("c" + i) + "; exec sleep "
                    + (base + 2 * i + 1));
        }
        try (RunningDaemon first = cli.startDaemon("--stop-timeout", "2")) {
            switch (moment) {
                case FIRST_SPAWN -> await("a spawn journal entry").atMost(DaemonScenarioTest.WAIT).pollInterval(FAST_POLL)
                        .until(() -> count(home.resolve("spawned")) > 0);
                case ALL_FORKED -> await("every command forked").atMost(DaemonScenarioTest.WAIT)
                        .pollInterval(FAST_POLL).until(() -> count(marks) == COMMANDS);
                case ALL_RUNNING -> awaitAllStarted(first);
            }
            first.crash();
            // with a cgroup watchdog, everything dies with the daemon; with pdeathsig alone, the commands themselves
            int step = first.output().contains("killed whole if the daemon dies") ? 1 : 2;
            if (first.output().contains("dies with the daemon")) {
                await("every command to die with its daemon").atMost(DaemonScenarioTest.WAIT).pollInterval(DaemonScenarioTest.POLL)
                        .until(() -> Stream.iterate(2 * COMMANDS - 1, i -> i >= 0, i -> i - step)
                                .allMatch(i -> OsProcesses.withCommandLine("sleep", Integer.toString(base + i)).isEmpty()));
            }
        }
        try (RunningDaemon next = cli.startDaemon("--stop-timeout", "2")) {
            awaitAllStarted(next);
            List<JsonNode> rows = cli.list();
            for (int i = 0; i < COMMANDS; i++) {
                JsonNode row = rows.get(i);
                assertThat(DaemonScenarioTest.running(row)).as("%s", row).isTrue();
                assertThat(row.get("node").asText()).startsWith(next.pid() + "@");
                assertThat(ProcessHandle.of(row.get("pid").asLong()).map(OsProcesses::commandLine))
                        .hasValue(List.of("sleep", Integer.toString(base + 2 * i + 1)));
                int n = i;
                await("c" + i + "'s child").atMost(DaemonScenarioTest.WAIT).pollInterval(DaemonScenarioTest.POLL)
                        .until(() -> OsProcesses.withCommandLine("sleep", Integer.toString(base + 2 * n)).size() == 1);
            }
            for (int i = 0; i < COMMANDS; i++) {
                for (int k = 0; k < 2; k++) {
                    assertThat(OsProcesses.withCommandLine("sleep", Integer.toString(base + 2 * i + k)))
                            .as("processes of c%d (sleep %d) after a kill at %s; %s", i, base + 2 * i + k, moment, next)
                            .hasSize(1);
                }
            }
            assertThat(next.terminate()).isZero();
        } finally {
            killAll(base, 2 * COMMANDS);
        }
        for (int i = 0; i < 2 * COMMANDS; i++) {
            assertThat(OsProcesses.withCommandLine("sleep", Integer.toString(base + i))).as("after the next daemon's SIGTERM")
                    .isEmpty();
        }
    }

    @Test
    void forkAndExitAndDoubleForkLeaveNothingAfterRemoveNorAfterSigterm() throws Exception {
        SupervisorJar cli = SupervisorJar.withHome(home);
        int base = 100_000 + ThreadLocalRandom.current().nextInt(800_000);
        try (RunningDaemon daemon = cli.startDaemon("--stop-timeout", "2")) {
            await("the daemon to start").atMost(DaemonScenarioTest.WAIT).pollInterval(DaemonScenarioTest.POLL)
                    .until(() -> !daemon.isAlive() || daemon.output().contains("binding:"));
            boolean cgroups = daemon.output().contains("runs in a cgroup");
            for (String round : List.of("removed", "sigterm")) {
                int forked = round.equals("removed") ? base : base + 10;
                // forks a child and exits at once: a failed start, restarted with backoff
                add(cli, "forker-" + round, "sh", "-c", "sleep " + forked + " & exit 0");
                // leaves its session (setsid) and its parent (double fork): only a cgroup still holds it
                add(cli, "escaper-" + round, "sh", "-c", "setsid sh -c 'sleep " + (forked + 1) + " &' ; exec sleep " + (forked + 2));
                daemon.awaitOutput("forker-" + round + " to fail twice",
                        out -> out.split("forker-" + round + " failed to start", -1).length > 2);
                daemon.awaitOutput("escaper-" + round + " to run", out -> out.contains("escaper-" + round + " started"));
                assertThat(OsProcesses.withCommandLine("sleep", Integer.toString(forked))).as("one child per attempt, "
                        + "stopped with the attempt").hasSizeLessThanOrEqualTo(1);
                if (round.equals("removed")) {
                    for (String name : List.of("forker-", "escaper-")) {
                        Result removed = cli.run("remove", name + round);
                        assertThat(removed.code()).as("%s", removed).isZero();
                    }
                    await("every process of the removed commands to end").atMost(DaemonScenarioTest.WAIT)
                            .pollInterval(DaemonScenarioTest.POLL).until(() -> alive(forked, 3, cgroups).isEmpty());
                } else {
                    assertThat(daemon.terminate()).isZero();
                    assertThat(alive(forked, 3, cgroups)).as("after SIGTERM; %s", daemon).isEmpty();
                }
            }
        } finally {
            killAll(base, 13);
        }
    }

    /** The processes {@code sleep forked+i} that still run; without cgroups, the one that left its session is not counted. */
    private static List<ProcessHandle> alive(int forked, int count, boolean cgroups) {
        List<ProcessHandle> alive = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (cgroups || i != 1) {
                alive.addAll(OsProcesses.withCommandLine("sleep", Integer.toString(forked + i)));
            }
        }
        return alive;
    }

    private static void awaitAllStarted(RunningDaemon daemon) {
        for (int i = 0; i < COMMANDS; i++) {
            String started = "c" + i + " started";
            daemon.awaitOutput(started, out -> out.contains(started));
        }
    }

    private static void add(SupervisorJar cli, String name, String... command) {
        List<String> args = new ArrayList<>(List.of("add", name, "--"));
        args.addAll(List.of(command));
        Result added = cli.run(args.toArray(String[]::new));
        assertThat(added.code()).as("add %s: %s", name, added).isZero();
    }

    private static long count(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    /** Safety net: kills whatever a failed test left. */
    private static void killAll(int base, int count) {
        for (int i = 0; i < count; i++) {
            OsProcesses.withCommandLine("sleep", Integer.toString(base + i)).forEach(ProcessHandle::destroyForcibly);
        }
    }
}
