package dev.supervisor.cli.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.supervisor.PassReport;
import dev.supervisor.Supervisor;
import dev.supervisor.SupervisorListener;
import dev.supervisor.micrometer.SupervisorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The daemon's status page and API ({@code run --http}), on the JDK's HTTP server with a virtual
 * thread per request:
 * <ul>
 *   <li>{@code GET /}: the page for people ({@link StatusPage});
 *   <li>{@code /api/processes...}: the rows as JSON and the actions ({@link ProcessApi});
 *   <li>{@code GET /metrics}: the supervisor's meters ({@link SupervisorMetrics}) in Prometheus's text format;
 *   <li>{@code GET /health}: 200 while the supervisor is launched and its last full pass read the
 *       whole table, else 503; a small JSON body says which.
 * </ul>
 * Reading needs nothing: whoever can reach the address sees every command and its log. The
 * actions need the {@link AccessToken}.
 *
 * <p>Use: {@link #bind} before launching the supervisor (a taken port is refused before any
 * command starts), register {@link #metrics()} as one of its listeners, {@link #start} once it is
 * launched, {@link #close()} after it is closed.
 */
public final class StatusServer implements AutoCloseable {

    /** How long {@link #close()} lets requests in progress finish, in seconds. */
    private static final int CLOSE_DELAY_SECONDS = 1;

    private final HttpServer server;
    private final HttpAddress address;
    private final AccessToken token;
    private final SupervisorMetrics metrics;
    private final PrometheusMeterRegistry registry;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private StatusServer(HttpServer server, HttpAddress address, AccessToken token, String supervisorName) {
        this.server = server;
        this.address = address;
        this.token = token;
        this.metrics = new SupervisorMetrics(supervisorName);
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics.bindTo(registry);
    }

    /**
     * Listens on address (not answering until {@link #start}).
     *
     * @param supervisorName the supervisor's name, the {@code name} tag of its meters
     * @throws UncheckedIOException if the address cannot be bound (taken, not this machine's)
     */
    public static StatusServer bind(HttpAddress address, AccessToken token, String supervisorName) {
        try {
            return new StatusServer(HttpServer.create(address.socket(), 0), address, token, supervisorName);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address.host() + ":" + address.socket().getPort() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The line {@code run} prints: where the page is and where the token is (never the token itself). */
    public String describe() {
        return "status page: " + url() + " (restart, stop and start need the token in " + token.file() + ")";
    }

    /** The listener feeding {@code /metrics}: give it to the supervisor's builder. */
    public SupervisorListener<Object> metrics() {
        return metrics;
    }

    /** Adds meters of the daemon's own to {@code /metrics}. */
    public void bind(io.micrometer.core.instrument.binder.MeterBinder binder) {
        binder.bindTo(registry);
    }

    /** The page's address, with the port actually bound (which port 0 leaves to the system). */
    public String url() {
        String host = address.host().contains(":") ? "[" + address.host() + "]" : address.host();
        return "http://" + host + ":" + server.getAddress().getPort() + "/";
    }

    /** Starts answering requests about supervisor, reading its rows and logs through view. */
    public void start(Supervisor<String, ?> supervisor, DaemonView view) {
        boolean loopback = address.loopback();
        server.createContext("/", Exchanges.guard(new StatusPage(view), loopback, view));
        server.createContext(ProcessApi.PATH, Exchanges.guard(new ProcessApi(supervisor, view, token), loopback, view));
        server.createContext("/metrics", Exchanges.guard(exact("/metrics", view, this::metrics), loopback, view));
        server.createContext("/health", Exchanges.guard(exact("/health", view, e -> health(e, supervisor, view)), loopback, view));
        server.setExecutor(executor);
        server.start();
    }

    private void metrics(HttpExchange exchange) throws IOException {
        Exchanges.send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                registry.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private static void health(HttpExchange exchange, Supervisor<String, ?> supervisor, DaemonView view) throws IOException {
        boolean launched = supervisor.isLaunched();
        Optional<PassReport<String>> pass = supervisor.lastPass();
        boolean up = launched && pass.map(PassReport::complete).orElse(false);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("launched", launched);
        body.put("lastPass", pass.map(p -> {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("startedAt", p.startedAt().toString());
            report.put("rowsSeen", p.rowsSeen());
            report.put("complete", p.complete());
            report.put("error", p.failure().map(f -> view.mask(String.valueOf(f.getMessage()))).orElse(null));
            return report;
        }).orElse(null));
        Exchanges.json(exchange, up ? 200 : 503, view.json(body));
    }

    /** The handler answering GET on path exactly (a context also receives the paths below it: those get 404). */
    private static HttpHandler exact(String path, DaemonView view, HttpHandler handler) {
        return exchange -> {
            if (!exchange.getRequestURI().getRawPath().equals(path)) {
                Exchanges.error(exchange, 404, "no such resource", view);
            } else if (Exchanges.allow(exchange, "GET", view)) {
                handler.handle(exchange);
            }
        };
    }

    /** Stops listening, lets requests in progress finish for a moment, and closes the meters. */
    @Override
    public void close() {
        server.stop(CLOSE_DELAY_SECONDS);
        executor.close();
        registry.close();
    }
}
