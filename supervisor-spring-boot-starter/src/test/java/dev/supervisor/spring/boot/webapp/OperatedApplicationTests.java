package dev.supervisor.spring.boot.webapp;

import static org.awaitility.Awaitility.await;

import dev.supervisor.KeyState;
import dev.supervisor.ProcessStatus;
import dev.supervisor.Supervisor;
import dev.supervisor.spring.boot.app.Workers.Worker;
import dev.supervisor.testsupport.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link OperatedApplication} on its own server (H2 in memory), with the endpoint exposed and the
 * page enabled: one context for every subclass (Spring caches it), a key of its own for each test.
 */
@SpringBootTest(classes = OperatedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:operated;DB_CLOSE_DELAY=-1",
        "supervisor.reconcile-interval=1h",
        "supervisor.node=node-a",
        "supervisor.web.enabled=true",
        "management.endpoints.web.exposure.include=health,supervisor"})
abstract class OperatedApplicationTests {

    static final Duration WAIT = Waits.DATABASE;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Supervisor<String, Worker> supervisor;

    /** Inserts a row for a new key beginning with prefix and waits until its worker runs. */
    String running(String prefix) {
        String key = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.update("INSERT INTO supervisor_processes (name, payload) VALUES (?, '{}')", key);
        await(key + " to run").atMost(WAIT).until(() -> state(key) == KeyState.RUNNING);
        return key;
    }

    KeyState state(String key) {
        return supervisor.status(key).map(ProcessStatus::state).orElse(null);
    }

    /** A client of the application as {@code user} (basic authentication; null: anonymous), keeping its cookies. */
    Client as(String user) {
        return new Client(user);
    }

    /** HTTP requests to the application as one user, with the cookies of its session. */
    final class Client {
        private final String authorization;
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

        private Client(String user) {
            this.authorization = user == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + OperatedApplication.PASSWORD).getBytes(StandardCharsets.UTF_8));
        }

        HttpResponse<String> get(String path) {
            return send(request(path).GET());
        }

        /** A POST of json (with its content type), with these extra headers (name, value, ...). */
        HttpResponse<String> post(String path, String json, String... headers) {
            HttpRequest.Builder request = request(path).POST(HttpRequest.BodyPublishers.ofString(json));
            if (json != null && !json.isEmpty()) {
                request.header("Content-Type", "application/json");
            }
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            return send(request);
        }

        private HttpRequest.Builder request(String path) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(WAIT);
            return authorization == null ? request : request.header("Authorization", authorization);
        }

        private HttpResponse<String> send(HttpRequest.Builder request) {
            try {
                return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
