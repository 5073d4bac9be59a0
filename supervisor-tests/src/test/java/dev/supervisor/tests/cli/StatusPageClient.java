package dev.supervisor.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Requests to the status server of a daemon started with {@code run --http}, at the address it printed. */
final class StatusPageClient {

    private static final Pattern PRINTED = Pattern.compile("status page: (http://\\S+/) \\(restart, stop and start need the "
            + "token in (\\S+)\\)");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI base;
    private final Path tokenFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private StatusPageClient(URI base, Path tokenFile) {
        this.base = base;
        this.tokenFile = tokenFile;
    }

    /** Waits for the daemon to print where its page is. */
    static StatusPageClient of(RunningDaemon daemon) {
        daemon.awaitOutput("the status page's address", out -> PRINTED.matcher(out).find());
        Matcher printed = PRINTED.matcher(daemon.output());
        assertThat(printed.find()).isTrue();
        return new StatusPageClient(URI.create(printed.group(1)), Path.of(printed.group(2)));
    }

    URI base() {
        return base;
    }

    Path tokenFile() {
        return tokenFile;
    }

    String token() {
        try {
            return Files.readString(tokenFile).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    /** POST without a token. */
    HttpResponse<String> post(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** POST with {@code Authorization: Bearer token}. */
    HttpResponse<String> post(String path, String token) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** GET path; fails unless it answers 200 with JSON. */
    JsonNode json(String path) {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return parse(response);
    }

    static JsonNode parse(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }
}
