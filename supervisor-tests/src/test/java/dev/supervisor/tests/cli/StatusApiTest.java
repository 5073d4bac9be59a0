package dev.supervisor.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.supervisor.tests.cli.PrometheusText.Sample;
import dev.supervisor.tests.cli.SupervisorJar.Result;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --http} end to end on the real jar: the API's JSON is {@code list --json}'s, the
 * actions need the token (and change nothing without it), {@code /metrics} is Prometheus text,
 * {@code /health} says whether the supervisor runs. One daemon for the class, on the embedded
 * database, its page on a port the system picks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class StatusApiTest {

    @TempDir
    static Path home;
    SupervisorJar cli;
    RunningDaemon daemon;
    StatusPageClient page;

    @BeforeAll
    void startDaemon() throws Exception {
        cli = SupervisorJar.withHome(home);
        daemon = cli.startDaemon("--stop-timeout", "5", "--http", "0");
        page = StatusPageClient.of(daemon);
    }

    @AfterAll
    void stopDaemon() throws Exception {
        if (daemon == null) {
            return;
        }
        try (RunningDaemon running = daemon) {
            assertThat(running.terminate()).as("exit code after SIGTERM; %s", running).isZero();
        }
    }

    @Test
    void theApiListsTheRowsAsListJsonDoes() {
        add("api-listed", "sleep", "1001");
        JsonNode running = awaitOnPage("api-listed", "RUNNING");

        JsonNode listed = cli.row("api-listed").orElseThrow();
        JsonNode array = page.json("api/processes");
        JsonNode fromArray = null;
        for (JsonNode row : array) {
            if (row.get("name").asText().equals("api-listed")) {
                fromArray = row;
            }
        }
        assertThat(fromArray).as("the row in GET /api/processes").isNotNull();
        assertThat(fieldNames(fromArray)).as("the fields of list --json, in its order").isEqualTo(fieldNames(listed));
        assertThat(fromArray).isEqualTo(listed);
        assertThat(running).isEqualTo(listed);
        assertThat(running.get("command").toString()).isEqualTo("[\"sleep\",\"1001\"]");
    }

    @Test
    void anUnknownNameIs404WithAJsonError() {
        HttpResponse<String> response = page.get("api/processes/no-such-row");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(StatusPageClient.parse(response).get("error").asText()).isEqualTo("no process named no-such-row");
        assertThat(page.post("api/processes/no-such-row/restart", page.token()).statusCode()).isEqualTo(404);
    }

    @Test
    void actionsWithoutTheRightTokenAreRefusedAndChangeNothing() {
        add("guarded", "sleep", "1002");
        JsonNode before = awaitOnPage("guarded", "RUNNING");

        for (String action : List.of("restart", "stop", "start")) {
            String path = "api/processes/guarded/" + action;
            HttpResponse<String> none = page.post(path);
            assertThat(none.statusCode()).as("%s without a token: %s", action, none.body()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"supervisor\"");
            assertThat(page.post(path, "not-the-token-but-long-enough").statusCode()).as("%s, wrong token", action)
                    .isEqualTo(403);
            assertThat(page.send(HttpRequest.newBuilder(page.base().resolve(path))
                    .header("Cookie", "token=" + page.token()).POST(HttpRequest.BodyPublishers.noBody())).statusCode())
                    .as("%s, the token in a cookie", action).isEqualTo(401);
            HttpResponse<String> get = page.send(HttpRequest.newBuilder(page.base().resolve(path))
                    .header("Authorization", "Bearer " + page.token()).GET());
            assertThat(get.statusCode()).as("GET %s, even with the token", action).isEqualTo(405);
            assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        }

        JsonNode after = page.json("api/processes/guarded");
        assertThat(after.get("state").asText()).isEqualTo("RUNNING");
        assertThat(after.get("pid")).isEqualTo(before.get("pid"));
        assertThat(after.get("attempt")).isEqualTo(before.get("attempt"));
        assertThat(after.get("startedAt")).isEqualTo(before.get("startedAt"));
    }

    @Test
    void actionsWithTheTokenRestartStopAndStart() {
        add("operated", "sleep", "1003");
        JsonNode first = awaitOnPage("operated", "RUNNING");
        String token = page.token();

        HttpResponse<String> restarted = page.post("api/processes/operated/restart", token);
        assertThat(restarted.statusCode()).as("%s", restarted.body()).isEqualTo(200);
        assertThat(StatusPageClient.parse(restarted).get("result").asText()).isEqualTo("restarted");
        JsonNode second = await("a new pid").atMost(DaemonScenarioTest.WAIT).pollInterval(DaemonScenarioTest.POLL)
                .until(() -> page.json("api/processes/operated"),
                        r -> r.get("state").asText().equals("RUNNING") && !r.get("pid").equals(first.get("pid")));
        assertThat(second.get("attempt").asInt()).isEqualTo(first.get("attempt").asInt() + 1);
        assertThat(ProcessHandle.of(first.get("pid").asLong()).filter(OsProcesses::running)).as("the old process").isEmpty();

        assertThat(page.post("api/processes/operated/stop", token).statusCode()).isEqualTo(200);
        awaitOnPage("operated", "PAUSED");
        assertThat(ProcessHandle.of(second.get("pid").asLong()).filter(OsProcesses::running)).as("the stopped process").isEmpty();

        assertThat(page.post("api/processes/operated/start", token).statusCode()).isEqualTo(200);
        JsonNode third = awaitOnPage("operated", "RUNNING");
        assertThat(third.get("pid")).isNotEqualTo(second.get("pid"));
    }

    @Test
    void theLogOfACommandIsItsLastLines() {
        add("chatty", "sh", "-c", "for i in 1 2 3 4 5; do echo line $i; done; exec sleep 1004");
        awaitOnPage("chatty", "RUNNING");
        HttpResponse<String> log = await("the lines to be logged").atMost(DaemonScenarioTest.WAIT)
                .pollInterval(DaemonScenarioTest.POLL)
                .until(() -> page.get("api/processes/chatty/log?lines=2"), r -> r.body().contains("line 5"));
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(log.body()).isEqualTo("line 4\nline 5\n");
        assertThat(page.get("api/processes/no-such-row/log").statusCode()).isEqualTo(404);
    }

    @Test
    void metricsAreStrictPrometheusTextWithTheSupervisorsSeries() {
        add("measured", "sleep", "1005");
        awaitOnPage("measured", "RUNNING");
        HttpResponse<String> response = page.get("metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");

        List<Sample> samples = PrometheusText.parse(response.body());

        assertThat(samples).extracting(Sample::name).allMatch(name -> name.startsWith("supervisor_"))
                .contains("supervisor_processes", "supervisor_starts_total", "supervisor_exits_total",
                        "supervisor_restarts_total", "supervisor_passes_seconds_count", "supervisor_passes_seconds_sum");
        assertThat(samples).filteredOn(s -> s.name().equals("supervisor_processes") && s.labels().get("state").equals("running"))
                .singleElement().satisfies(s -> assertThat(s.value()).isGreaterThanOrEqualTo(1));
        assertThat(samples).filteredOn(s -> s.name().equals("supervisor_exits_total")).extracting(s -> s.labels().get("kind"))
                .contains("failed", "stopped", "start_failed");
        assertThat(samples).filteredOn(s -> s.name().equals("supervisor_starts_total")).singleElement()
                .satisfies(s -> assertThat(s.value()).isGreaterThanOrEqualTo(1));
    }

    @Test
    void healthIsUpWhileTheSupervisorRuns() {
        HttpResponse<String> health = page.get("health");
        assertThat(health.statusCode()).as("%s", health.body()).isEqualTo(200);
        JsonNode body = StatusPageClient.parse(health);
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.get("launched").asBoolean()).isTrue();
        assertThat(body.get("lastPass").get("complete").asBoolean()).isTrue();
    }

    @Test
    void theTokenIsInAFileOnlyItsUserCanReadAndNowhereElse() throws Exception {
        assertThat(page.tokenFile()).isEqualTo(home.toAbsolutePath().resolve("http-token"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(page.tokenFile()))).isEqualTo("rw-------");
        String token = page.token();
        assertThat(token).hasSizeGreaterThanOrEqualTo(32);
        List<String> seen = new ArrayList<>(List.of(daemon.output(), page.get("").body(), page.get("status.js").body(),
                page.get("api/processes").body(), page.get("health").body(), page.get("metrics").body()));
        assertThat(seen).noneMatch(text -> text.contains(token));
    }

    @Test
    void theApiAnswersRequestsForLocalhostOnly() throws Exception {
        assertThat(statusLine("attacker.example:" + page.base().getPort()))
                .as("a page whose name was re-pointed at 127.0.0.1").isEqualTo("HTTP/1.1 403 Forbidden");
        assertThat(statusLine("localhost:" + page.base().getPort())).isEqualTo("HTTP/1.1 200 OK");
    }

    /** The status line answering GET /api/processes with this Host header (which java.net.http will not send). */
    private String statusLine(String host) throws Exception {
        try (Socket socket = new Socket(page.base().getHost(), page.base().getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET /api/processes HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void thePageIsServedFromTheJarWithAStrictContentSecurityPolicy() {
        HttpResponse<String> html = page.get("");
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(html.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"));
        assertThat(html.body()).contains("<script src=\"status.js\"", "<link rel=\"stylesheet\" href=\"status.css\">")
                .doesNotContain("http://", "https://");
        String script = page.get("status.js").body();
        assertThat(script).contains("textContent").doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(");
        assertThat(page.get("status.css").statusCode()).isEqualTo(200);
        assertThat(page.get("nothing-here").statusCode()).isEqualTo(404);
    }

    /** Waits until GET /api/processes/NAME says the row is in state, and returns it. */
    private JsonNode awaitOnPage(String name, String state) {
        return await(name + " " + state + " on the API").atMost(DaemonScenarioTest.WAIT).pollInterval(DaemonScenarioTest.POLL)
                .until(() -> {
                    HttpResponse<String> response = page.get("api/processes/" + name);
                    return response.statusCode() == 200 ? StatusPageClient.parse(response) : null;
                }, row -> row != null && row.get("state").asText().equals(state) && (state.equals("PAUSED") || !row.get("pid").isNull()));
    }

    private void add(String name, String... command) {
        List<String> args = new ArrayList<>(List.of("add", name, "--"));
        args.addAll(List.of(command));
        Result added = cli.run(args.toArray(String[]::new));
        assertThat(added.code()).as("add %s: %s", name, added).isZero();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
