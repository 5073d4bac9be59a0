package dev.supervisor.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.supervisor.tests.cli.SupervisorJar.Result;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --http}'s options: what is refused before anything starts (exit 2), and a daemon
 * listening beyond loopback with the operator's token file, whose {@code /health} turns 503 once
 * it stops.
 */
@Timeout(120)
class StatusServerOptionsTest {

    @TempDir
    Path home;

    @Test
    void listeningBeyondLoopbackWithoutATokenFileIsAUsageError() {
        SupervisorJar cli = SupervisorJar.withHome(home);
        Result open = cli.run("run", "--http", "0.0.0.0:0");
        assertThat(open.code()).as("%s", open).isEqualTo(2);
        assertThat(open.err()).contains("--http 0.0.0.0:0 listens beyond this machine", "--http-token-file");
        assertThat(home.resolve("daemon.lock")).as("refused before the daemon began").doesNotExist();
    }

    @Test
    void malformedHttpOptionsAreUsageErrors() throws Exception {
        SupervisorJar cli = SupervisorJar.withHome(home);
        Path shortToken = Files.writeString(home.resolve("short"), "abc\n");
        assertUsageError(cli.run("run", "--http", "web"), "--http web: 'web' is not a port number");
        assertUsageError(cli.run("run", "--http", "127.0.0.1:70000"), "the port must be within 0..65535, was 70000");
        assertUsageError(cli.run("run", "--http-token-file", shortToken.toString()), "--http-token-file needs --http");
        assertUsageError(cli.run("run", "--http", "0", "--http-token-file", shortToken.toString()),
                "the token must be at least 16 printable ASCII characters");
    }

    @Test
    void aTokenFileOpensOtherAddressesAndHealthTurns503WhileTheDaemonStops() throws Exception {
        Path tokenFile = Files.writeString(home.resolve("operator-token"), "operator-secret-0123456789\n");
        SupervisorJar cli = SupervisorJar.withHome(home);
        assertThat(cli.run("add", "plain", "--", "sleep", "1006").code()).isZero();
        assertThat(cli.run("add", "stubborn", "--", "sh", "-c", "trap '' TERM; while true; do sleep 0.2; done").code()).isZero();
        try (RunningDaemon daemon = cli.startDaemon("--stop-timeout", "5", "--http", "0.0.0.0:0", "--http-token-file",
                tokenFile.toString())) {
            StatusPageClient page = StatusPageClient.of(daemon);
            assertThat(page.base().getHost()).isEqualTo("0.0.0.0");
            assertThat(page.tokenFile()).isEqualTo(tokenFile);
            assertThat(home.resolve("http-token")).as("no token generated").doesNotExist();
            JsonNode plain = await("plain to run").atMost(DaemonScenarioTest.WAIT).pollInterval(DaemonScenarioTest.POLL)
                    .until(() -> page.json("api/processes/plain"), r -> r.get("state").asText().equals("RUNNING"));
            await("stubborn to run").atMost(DaemonScenarioTest.WAIT).pollInterval(DaemonScenarioTest.POLL)
                    .until(() -> page.json("api/processes/stubborn"), r -> r.get("state").asText().equals("RUNNING"));
            assertThat(page.post("api/processes/plain/restart", "operator-secret-0123456789").statusCode()).isEqualTo(200);
            assertThat(page.json("api/processes/plain").get("attempt").asInt()).isEqualTo(plain.get("attempt").asInt() + 1);
            assertThat(page.get("health").statusCode()).isEqualTo(200);

            ProcessHandle.of(daemon.pid()).orElseThrow().destroy(); // SIGTERM: stubborn holds the stop for 5 s
            HttpResponse<String> stopping = await("/health to say 503").atMost(DaemonScenarioTest.WAIT)
                    .pollInterval(DaemonScenarioTest.POLL).until(() -> page.get("health"), r -> r.statusCode() != 200);
            assertThat(stopping.statusCode()).isEqualTo(503);
            JsonNode body = StatusPageClient.parse(stopping);
            assertThat(body.get("status").asText()).isEqualTo("DOWN");
            assertThat(body.get("launched").asBoolean()).isFalse();
            assertThat(daemon.terminate()).as("%s", daemon).isZero();
            assertThat(daemon.output()).doesNotContain("operator-secret-0123456789");
        }
    }

    private static void assertUsageError(Result result, String message) {
        assertThat(result.code()).as("%s", result).isEqualTo(2);
        assertThat(result.err()).contains(message).contains("Usage: supervisor run");
    }
}
