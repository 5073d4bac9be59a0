package dev.supervisor.tests.cli;

import static dev.supervisor.tests.cli.DaemonScenarioTest.POLL;
import static dev.supervisor.tests.cli.DaemonScenarioTest.WAIT;
import static dev.supervisor.tests.cli.DaemonScenarioTest.awaitRow;
import static dev.supervisor.tests.cli.DaemonScenarioTest.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.supervisor.jdbc.Database;
import dev.supervisor.tests.cli.SupervisorJar.Result;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as a process manager, end to end on the real jar and real processes: limits (an OOM
 * kill of a real allocator), readiness and liveness checks (a real HTTP server that stops
 * answering), give-up of a missing executable, signals, a command run as another user with an
 * environment file and its stderr apart, and bad input refused. One daemon (embedded database,
 * status page on a free port) for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ProcessManagerTest {

    @TempDir
    static Path home;
    SupervisorJar cli;
    RunningDaemon daemon;
    StatusPageClient page;

    @BeforeAll
    void startDaemon() {
        cli = SupervisorJar.withHome(home);
        daemon = cli.startDaemon("--stop-timeout", "2", "--http", "0");
        page = StatusPageClient.of(daemon);
    }

    @AfterAll
    void stopDaemon() throws Exception {
        if (daemon == null) {
            return;
        }
        try (RunningDaemon running = daemon) {
            List<ProcessHandle> tree = running.descendants();
            assertThat(running.terminate()).as("exit code after SIGTERM; %s", running).isZero();
            assertThat(tree).as("nothing the daemon ran survives it").noneMatch(OsProcesses::running);
        }
    }

    @Test
    void anAllocatorOverItsMemoryLimitIsOomKilledShownAsSuchEverywhereAndRestarted() {
        // RUNNING first (1 s of start grace), then it reads an endless line into memory
        add("hog", List.of("--memory-max", "32M"), "sh", "-c", "sleep 1.5; exec tail /dev/zero");
        assertThat(daemon.output()).as("this host can limit memory").contains("limits: memory, cpu, tasks through cgroup");

        JsonNode row = awaitRow(cli, daemon, "hog", "to be OOM-killed", r -> "oom-killed".equals(r.path("lastExitKind").asText()));

        assertThat(row.get("lastExit").asInt()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(row.get("lastError").asText()).isEqualTo("killed by the OOM killer (memory limit 32M), exited with code 137"
                + " (SIGKILL)");
        assertThat(row.get("state").asText()).as("restarted by its policy (always)").isIn("BACKOFF", "STARTING", "RUNNING");
        assertThat(cli.run("status", "hog").out()).contains("last exit:     oom-killed (exited with code 137 (SIGKILL))",
                "limits:        memory 32M");
        assertThat(page.json("api/processes/hog").get("lastExitKind").asText()).isEqualTo("oom-killed");
        List<PrometheusText.Sample> samples = PrometheusText.parse(page.get("metrics").body());
        assertThat(samples).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("supervisor_command_exits_total");
            assertThat(s.labels()).containsEntry("kind", "oom-killed");
            assertThat(s.value()).isGreaterThanOrEqualTo(1);
        });
        awaitRow(cli, daemon, "hog", "to be started again", r -> r.get("restarts").asInt() >= 1);
        remove("hog");
    }

    @Test
    void readinessGatesRunningAndAServerThatStopsAnsweringIsRestartedAsUnhealthy() throws Exception {
        int port = freePort();
        Path ready = home.resolve("web-ready");
        String java = Path.of(System.getProperty("java.home"), "bin", "jwebserver").toString();
        add("web", List.of("--ready-cmd", "test -f " + ready, "--health-http", "http://127.0.0.1:" + port + "/",
                        "--health-interval", "1", "--health-timeout", "1", "--health-failures", "2", "--stop-timeout", "1"),
                java, "-b", "127.0.0.1", "-p", Integer.toString(port), "-d", home.toString());

        JsonNode starting = awaitRow(cli, daemon, "web", "to wait for its readiness check",
                r -> r.get("state").asText().equals("STARTING") && r.path("health").asText().startsWith("starting: failing"));
        assertThat(starting.get("health").asText()).isEqualTo("starting: failing: cmd 'test -f " + ready + "': exited 1");
        Files.createFile(ready);
        JsonNode up = awaitRow(cli, daemon, "web", "to be ready and healthy",
                r -> running(r) && r.path("health").asText().startsWith("ok: "));
        assertThat(up.get("health").asText()).isEqualTo("ok: http http://127.0.0.1:" + port + "/ answered 200");
        assertThat(cli.run("status", "web").out()).contains("health:        ok: http http://127.0.0.1:" + port
                + "/ answered 200");
        long pid = up.get("pid").asLong();

        ProcessHandle.of(pid).orElseThrow(); // alive; SIGSTOP: it keeps its port and answers nothing
        new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();

        JsonNode restarted = awaitRow(cli, daemon, "web", "to be restarted as unhealthy",
                r -> "unhealthy".equals(r.path("lastExitKind").asText()));
        assertThat(restarted.get("lastError").asText())
                .startsWith("unhealthy: 2 failed health checks in a row, the last: http http://127.0.0.1:" + port + "/: ")
                .endsWith("; stopped it");
        assertThat(ProcessHandle.of(pid).filter(OsProcesses::running)).as("the frozen server is gone").isEmpty();
        awaitRow(cli, daemon, "web", "to run again", r -> running(r) && r.get("pid").asLong() != pid);
        remove("web");
    }

    @Test
    void aCommandThatSaysReadyOverSdNotifyIsRunningOnlyThen() throws Exception {
        Path go = home.resolve("notify-go");
        // systemd's own client: READY=1 in a datagram to $NOTIFY_SOCKET
        add("notifier", List.of("--ready-notify"), "sh", "-c", "systemd-notify --status='warming up'; while [ ! -f " + go
                + " ]; do sleep 0.1; done; systemd-notify --ready; exec sleep 1000");

        JsonNode starting = awaitRow(cli, daemon, "notifier", "to wait for READY=1",
                r -> r.get("state").asText().equals("STARTING") && r.path("health").asText().contains("warming up"));
        assertThat(starting.get("health").asText())
                .isEqualTo("starting: failing: notify (READY=1): no READY=1 yet (STATUS=warming up)");
        Files.createFile(go);
        JsonNode ready = awaitRow(cli, daemon, "notifier", "to be ready", DaemonScenarioTest::running);
        assertThat(ready.get("health").asText()).isEqualTo("ready: notify (READY=1) received");
        remove("notifier");
    }

    @Test
    void aMissingExecutableIsGivenUpWithItsReasonAndStartLiftsIt() throws Exception {
        Path tool = home.resolve("bin").resolve("tool");
        Result added = cli.run("add", "ghost", "--start-retries", "1", "--", tool.toString());
        assertThat(added.code()).isZero();
        assertThat(added.err()).contains("warning: no executable " + tool + "; the row is added");

        JsonNode given = awaitRow(cli, daemon, "ghost", "to be given up", r -> r.get("state").asText().equals("GIVEN_UP"));
        assertThat(given.get("attempt").asInt()).as("one start and one retry").isEqualTo(2);
        assertThat(given.get("reason").asText()).isEqualTo("2 failed starts in a row (start retries: 1); start, restart or "
                + "an update of the row lifts it");
        assertThat(given.get("lastError").asText()).isEqualTo("cannot run " + tool + ": No such file or directory");
        assertThat(cli.run("status", "ghost").out()).contains("state:         GIVEN_UP (2 failed starts in a row");
        daemon.awaitOutput("the give-up line", out -> out.contains("ghost failed to start: cannot run " + tool
                + ": No such file or directory; given up (GIVEN_UP) after 2 failed starts in a row"));
        assertThat(daemon.output()).as("each failure said once, without the engine's warnings").doesNotContain("WARN")
                .doesNotContain("PT0");

        Files.createDirectories(tool.getParent());
        Files.writeString(tool, "#!/bin/sh\nexec sleep 1000\n");
        tool.toFile().setExecutable(true);
        Result start = cli.run("start", "ghost");

        assertThat(start.code()).as("%s", start).isZero();
        assertThat(start.out()).startsWith("started ghost: pid ");
        assertThat(running(cli.row("ghost").orElseThrow())).isTrue();
        remove("ghost");

        add("typo", List.of("--start-retries", "0"), "/nonexistent/sleep", "1000");
        awaitRow(cli, daemon, "typo", "to be given up at its first failed start", r -> r.get("state").asText().equals("GIVEN_UP"));
        try (Connection c = DriverManager.getConnection(Database.h2FileUrl(home.resolve("db").resolve("supervisor")));
             Statement update = c.createStatement()) {
            update.execute("UPDATE supervisor_processes SET payload = REPLACE(payload, '/nonexistent/sleep', 'sleep')"
                    + " WHERE name = 'typo'");
        }
        awaitRow(cli, daemon, "typo", "to run once its row is fixed", DaemonScenarioTest::running);
        remove("typo");
    }

    @Test
    void signalReachesTheCommandWithoutRestartingItAndItsStopSignalStopsIt() throws Exception {
        add("trapper", List.of("--stop-signal", "INT"), "sh", "-c",
                "trap 'echo got HUP' HUP; trap 'echo got USR1' USR1; trap 'echo got INT; exit 0' INT; "
                        + "while :; do sleep 0.1; done");
        long pid = awaitRow(cli, daemon, "trapper", "to run", DaemonScenarioTest::running).get("pid").asLong();

        Result signal = cli.run("signal", "trapper", "HUP");

        assertThat(signal.code()).as("%s", signal).isZero();
        assertThat(signal.out()).startsWith("sent SIGHUP to trapper (pid " + pid);
        awaitLog("trapper", "got HUP");
        HttpResponse<String> api = page.post("api/processes/trapper/signal?signal=USR1", page.token());
        assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
        awaitLog("trapper", "got USR1");
        assertThat(cli.row("trapper").orElseThrow().get("pid").asLong()).as("not restarted").isEqualTo(pid);
        assertThat(page.post("api/processes/trapper/signal?signal=NOPE", page.token()).statusCode()).isEqualTo(400);
        assertThat(cli.run("signal", "trapper", "NOPE").code()).as("a usage error").isEqualTo(2);

        remove("trapper");
        awaitLog("trapper", "got INT");
    }

    @Test
    void aCommandRunsAsItsUserWithItsEnvironmentFileAndItsStderrApartAndNoSecretIsShown() throws Exception {
        Path envFile = home.resolve("app.env");
        Files.writeString(envFile, "# the app's secrets\nexport API_KEY='s3cr3t-value'\nMODE=test\n");
        add("as-nobody", List.of("--user", "nobody", "--dir", "/", "--env-file", envFile.toString(), "--stderr", "separate"),
                "sh", "-c", "id -un; echo \"mode=$MODE home=$HOME\"; echo \"key=$API_KEY\" >&2; exec sleep 1000");
        awaitRow(cli, daemon, "as-nobody", "to run", DaemonScenarioTest::running);

        awaitLog("as-nobody", "mode=test home=");
        assertThat(cli.run("logs", "as-nobody").out()).startsWith("nobody\nmode=test home=").doesNotContain("key=");
        assertThat(cli.run("logs", "as-nobody", "--stderr").out()).isEqualTo("key=s3cr3t-value\n");
        assertThat(cli.run("list", "--json").out() + cli.run("status", "as-nobody").out() + page.get("api/processes").body()
                + daemon.output()).as("the secret in list, status, the API and the daemon's output").doesNotContain("s3cr3t");
        remove("as-nobody");
    }

    @Test
    void badInputIsRefusedSayingWhatIsWrong() throws Exception {
        Result negative = cli.run("add", "limited", "--memory-max", "-1", "--", "sleep", "1");
        assertThat(negative.code()).isEqualTo(2);
        assertThat(negative.err()).startsWith("--memory-max must be a size such as \"512M\" (bytes, or a number with K, M, G"
                + " or T), at least 1M, was \"-1\"");
        Result user = cli.run("add", "stranger", "--user", "no-such-user-here", "--", "sleep", "1");
        assertThat(user.code()).isEqualTo(1);
        assertThat(user.err()).isEqualTo("supervisor: no user named no-such-user-here on this host (--user)\n");
        String name = "x".repeat(5000);
        Result longName = cli.run("status", name);
        assertThat(longName.err()).as("a user's value is echoed capped").hasSizeLessThan(300).contains("(4920 more characters)");
        Path conf = home.resolve("broken.conf");
        Files.writeString(conf, "[program:web]\ncommand = sleep 1000\nthis line is not INI\n");
        Result imported = cli.run("import", conf.toString());
        assertThat(imported.code()).isEqualTo(1);
        assertThat(imported.err()).isEqualTo("supervisor: cannot import " + conf + ": broken.conf:3: expected key = value, was"
                + " 'this line is not INI'; nothing was added\n");
        Path other = Files.createDirectories(home.resolve("other"));
        Result taken = SupervisorJar.withHome(other).run("run", "--http", Integer.toString(page.base().getPort()));
        assertThat(taken.code()).as("%s", taken).isEqualTo(1);
        assertThat(taken.err()).as("the taken port is the first thing said").startsWith("supervisor: cannot listen on 127.0.0.1:"
                + page.base().getPort() + ": ");
        assertThat(taken.out()).isEmpty();
        assertThat(cli.row("limited")).isEmpty();
        assertThat(cli.row("stranger")).isEmpty();
        assertThat(cli.row("web")).isEmpty();
    }

    private void add(String name, String... command) {
        add(name, List.of(), command);
    }

    private void add(String name, List<String> options, String... command) {
        List<String> args = new ArrayList<>(List.of("add", name));
        args.addAll(options);
        args.add("--");
        args.addAll(List.of(command));
        Result added = cli.run(args.toArray(String[]::new));
        assertThat(added.code()).as("add %s: %s", name, added).isZero();
    }

    private void remove(String name) {
        assertThat(cli.run("remove", name).code()).isZero();
    }

    private void awaitLog(String name, String text) {
        await(name + "'s log to say " + text).atMost(WAIT).pollInterval(POLL)
                .until(() -> Files.exists(home.resolve("logs").resolve(name + ".log"))
                        && Files.readString(home.resolve("logs").resolve(name + ".log")).contains(text));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
