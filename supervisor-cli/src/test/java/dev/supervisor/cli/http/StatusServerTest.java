package dev.supervisor.cli.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supervisor.Cursor;
import dev.supervisor.PassReport;
import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.Table;
import dev.supervisor.TableException;
import dev.supervisor.testsupport.Waits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /health} against a real {@link Supervisor} whose table can be made to fail: 200 only
 * while it is launched and its last full pass read the whole table; the failure's message masked.
 * And the API while the database fails: 503 with the problem, masked.
 */
@Timeout(60)
class StatusServerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SECRET = "s3cret-password";

    @TempDir
    Path home;

    private final AtomicBoolean failing = new AtomicBoolean();
    private Supervisor<String, Runner> supervisor;
    private StatusServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        supervisor = Supervisor.builder(new FailingTable()).reconcileInterval(Duration.ofHours(1)).build();
        server = StatusServer.bind(HttpAddress.parse("0"), AccessToken.generate(home.resolve("token")), "test");
        supervisor.launch();
        server.start(supervisor, new View());
    }

    @AfterEach
    void stop() {
        supervisor.close();
        server.close();
    }

    @Test
    void healthIs200WhileLaunchedAndTheLastPassReadTheWholeTable() throws Exception {
        HttpResponse<String> up = get("health");
        assertThat(up.statusCode()).isEqualTo(200);
        JsonNode body = MAPPER.readTree(up.body());
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.get("lastPass").get("complete").asBoolean()).isTrue();
    }

    @Test
    void healthIs503WhenTheLastPassFailedAndUpAgainOnceAPassSucceeds() throws Exception {
        failing.set(true);
        supervisor.reconcileNow();
        await().atMost(Waits.DATABASE).until(() -> supervisor.lastPass().map(PassReport::complete), c -> c.equals(Optional.of(false)));

        HttpResponse<String> down = get("health");

        assertThat(down.statusCode()).isEqualTo(503);
        JsonNode body = MAPPER.readTree(down.body());
        assertThat(body.get("status").asText()).isEqualTo("DOWN");
        assertThat(body.get("launched").asBoolean()).isTrue();
        assertThat(body.get("lastPass").get("error").asText()).isEqualTo("cannot read the table as *** at localhost");
        assertThat(down.body()).doesNotContain(SECRET);

        failing.set(false);
        supervisor.reconcileNow();
        await().atMost(Waits.DATABASE).until(() -> get("health").statusCode() == 200);
    }

    @Test
    void healthIs503OnceTheSupervisorCloses() throws Exception {
        supervisor.close();
        HttpResponse<String> down = get("health");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(MAPPER.readTree(down.body()).get("launched").asBoolean()).isFalse();
    }

    @Test
    void aGeneratedTokenIsReadableByItsUserOnly() throws IOException {
        Path file = home.resolve("token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String token = Files.readString(file).strip();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(AccessToken.readFrom(file).matches(token)).isTrue();
        assertThat(AccessToken.readFrom(file).matches(token + "x")).isFalse();
        assertThat(AccessToken.readFrom(file).toString()).doesNotContain(token);
    }

    /**
     * While the database fails, reading the rows and every action answer 503 Service Unavailable
     * with a JSON error that names the problem, the password masked; once it is back, 200 again.
     */
    @Test
    void theApiAnswers503NamingTheProblemWhileTheDatabaseFails() throws Exception {
        failing.set(true);
        List<HttpResponse<String>> responses = List.of(get("api/processes"), get("api/processes/alpha"),
                get("api/processes/alpha/log"), post("api/processes/alpha/stop"), post("api/processes/alpha/start"),
                post("api/processes/alpha/restart"));

        for (HttpResponse<String> response : responses) {
            String request = response.request().method() + " " + response.uri().getPath();
            assertThat(response.statusCode()).as(request).isEqualTo(503);
            assertThat(response.headers().firstValue("Content-Type")).as(request).hasValue(Exchanges.JSON);
            assertThat(MAPPER.readTree(response.body()).get("error").asText()).as(request)
                    .contains("the database is unavailable: cannot read the table as *** at localhost");
            assertThat(response.body()).as(request).doesNotContain(SECRET);
        }
        assertThat(MAPPER.readTree(responses.get(3).body()).get("error").asText()).startsWith("stop alpha: ");

        failing.set(false);
        assertThat(get("api/processes").statusCode()).isEqualTo(200);
        assertThat(get("api/processes/alpha").statusCode()).as("no such row").isEqualTo(404);
    }

    private HttpResponse<String> post(String path) throws IOException, InterruptedException {
        URI uri = URI.create(server.url()).resolve(path);
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + Files.readString(home.resolve("token")).strip())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        URI uri = URI.create(server.url()).resolve(path);
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The failure of a database that cannot be reached, with its password in the message. */
    private static TableException databaseDown() {
        return new TableException("cannot read the table as " + SECRET + " at localhost", null);
    }

    /** No rows; its reads and writes fail while {@link #failing} is set ({@link #databaseDown()}). */
    private final class FailingTable implements Table<String, Runner> {
        @Override
        public Optional<Runner> get(String key) {
            if (failing.get()) {
                throw databaseDown();
            }
            return Optional.empty();
        }

        @Override
        public boolean setPaused(String key, boolean paused) {
            if (failing.get()) {
                throw databaseDown();
            }
            return false;
        }

        @Override
        public Cursor<String, Runner> cursor() {
            if (failing.get()) {
                throw databaseDown();
            }
            return new Cursor<>() {
                @Override
                public boolean next() {
                    return false;
                }

                @Override
                public String key() {
                    throw new IllegalStateException("no row");
                }

                @Override
                public Runner value() {
                    throw new IllegalStateException("no row");
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** A daemon without rows or logs, whose one secret is {@link #SECRET}; its reads fail while {@link #failing} is set. */
    private final class View implements DaemonView {
        @Override
        public List<Map<String, Object>> rows() {
            failIfAsked();
            return List.of();
        }

        @Override
        public Optional<Map<String, Object>> row(String name) {
            failIfAsked();
            return Optional.empty();
        }

        @Override
        public Optional<String> logTail(String name, int lines) {
            failIfAsked();
            return Optional.empty();
        }

        @Override
        public String signal(String name, String signal) {
            failIfAsked();
            throw new java.util.NoSuchElementException(name);
        }

        private void failIfAsked() {
            if (failing.get()) {
                throw databaseDown();
            }
        }

        @Override
        public String json(Object value) {
            try {
                return MAPPER.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        }

        @Override
        public String mask(String text) {
            return text.replace(SECRET, "***");
        }
    }
}
