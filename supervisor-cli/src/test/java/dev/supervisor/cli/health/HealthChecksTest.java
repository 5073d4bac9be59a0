package dev.supervisor.cli.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.supervisor.Clock;
import dev.supervisor.cli.CheckSpec;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each kind of probe against real sockets, servers and commands, and a liveness watch counting failures in a row. */
@Timeout(30)
class HealthChecksTest {

    private static final HealthChecks.CommandContext CONTEXT = new HealthChecks.CommandContext(Optional.empty(),
            Map.of("GREETING", "hi"), Optional.empty());
    private final HealthChecks checks = new HealthChecks(Clock.system());

    @AfterEach
    void close() {
        checks.close();
    }

    @Test
    void aTcpProbePassesOnceAConnectionIsAcceptedAndSaysWhyItFails() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            CheckSpec check = CheckSpec.health(CheckSpec.Kind.TCP, Integer.toString(server.getLocalPort()));
            assertThat(checks.probe(check, Duration.ofSeconds(1), CONTEXT).toString())
                    .isEqualTo("ok: tcp 127.0.0.1:" + server.getLocalPort() + " accepted");
            server.close();
            assertThat(checks.probe(check, Duration.ofSeconds(1), CONTEXT).toString())
                    .isEqualTo("failing: tcp 127.0.0.1:" + server.getLocalPort() + ": connection refused");
        }
    }

    @Test
    void anHttpProbeWantsA2xxOr3xxAnswerWithinItsTimeout() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            if (status.get() == 0) {
                sleep(3000);
            }
            exchange.sendResponseHeaders(Math.max(status.get(), 200), -1);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
            CheckSpec check = CheckSpec.health(CheckSpec.Kind.HTTP, url);
            assertThat(checks.probe(check, Duration.ofSeconds(1), CONTEXT).toString()).isEqualTo("ok: http " + url + " answered 200");
            status.set(503);
            assertThat(checks.probe(check, Duration.ofSeconds(1), CONTEXT).toString())
                    .isEqualTo("failing: http " + url + ": answered 503");
            status.set(0);
            assertThat(checks.probe(check, Duration.ofMillis(300), CONTEXT).toString())
                    .isEqualTo("failing: http " + url + ": no answer within 0.3 s");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aCommandProbeRunsInTheCommandsEnvironmentAndShowsItsOutputWhenItFails() {
        assertThat(checks.probe(CheckSpec.health(CheckSpec.Kind.CMD, "[ \"$GREETING\" = hi ]"), Duration.ofSeconds(5), CONTEXT)
                .toString()).isEqualTo("ok: cmd '[ \"$GREETING\" = hi ]' exited 0");
        assertThat(checks.probe(CheckSpec.health(CheckSpec.Kind.CMD, "echo not yet; exit 3"), Duration.ofSeconds(5), CONTEXT)
                .toString()).isEqualTo("failing: cmd 'echo not yet; exit 3': exited 3: not yet");
        assertThat(checks.probe(CheckSpec.health(CheckSpec.Kind.CMD, "sleep 10"), Duration.ofMillis(300), CONTEXT).toString())
                .isEqualTo("failing: cmd 'sleep 10': did not end within 0.3 s");
    }

    @Test
    void aLivenessWatchDecidesAfterItsFailuresInARowAndAPassStartsTheCountAgain() throws Exception {
        // passes on the 2nd probe only: fail, pass, fail, fail -> unhealthy after the 4th
        CheckSpec check = CheckSpec.health(CheckSpec.Kind.CMD, "n=$(cat " + counter() + "); echo $((n+1)) > " + counter()
                + "; [ \"$n\" = 1 ]").withInterval(Duration.ofMillis(50)).withFailures(2);
        java.nio.file.Files.writeString(java.nio.file.Path.of(counter()), "0");
        List<String> results = new CopyOnWriteArrayList<>();
        HealthChecks.Watch watch = checks.liveness(check, CONTEXT, r -> {
            results.add(r.toString());
        });
        HealthChecks.Result last = watch.done().get(20, TimeUnit.SECONDS);
        assertThat(last.ok()).isFalse();
        assertThat(results).hasSize(4);
        assertThat(results.get(0)).endsWith("(1 of 2)");
        assertThat(results.get(1)).startsWith("ok: ");
        assertThat(results.get(2)).endsWith("(1 of 2)");
        assertThat(results.get(3)).doesNotEndWith("of 2)").startsWith("failing: ");
    }

    private String counter;

    private String counter() throws java.io.IOException {
        if (counter == null) {
            counter = java.nio.file.Files.createTempFile("probe-count", ".txt").toString();
        }
        return counter;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
