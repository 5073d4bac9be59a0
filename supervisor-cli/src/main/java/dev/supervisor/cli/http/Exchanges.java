package dev.supervisor.cli.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.supervisor.TableException;
import dev.supervisor.web.ActionFailure;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every response of the status server is written: the headers each one carries (no caching,
 * no sniffing, no framing, no referrer), JSON errors, and the guard every handler runs behind.
 */
final class Exchanges {

    private static final Logger LOG = LoggerFactory.getLogger(Exchanges.class);
    static final String JSON = "application/json; charset=utf-8";
    static final String TEXT = "text/plain; charset=utf-8";
    /** Host names a browser sends for a loopback address; see {@link #guard}. */
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "[::1]");
    private static final Pattern LOOPBACK_IPV4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private Exchanges() {
    }

    /**
     * The handler, behind the checks every request passes: when the server listens on loopback
     * only, the {@code Host} header must name a loopback address too, so that a web page whose
     * domain name was re-pointed at 127.0.0.1 (DNS rebinding) cannot read the API; a failure of the
     * database ({@link TableException}) becomes a 503 naming it (see {@link #unavailable}), any other
     * exception a 500 whose body says no more than its type.
     */
    static HttpHandler guard(HttpHandler handler, boolean loopback, DaemonView view) {
        return exchange -> {
            try (exchange) { // closed after the failure's answer is sent, not before
                if (loopback && !loopbackHost(exchange.getRequestHeaders().getFirst("Host"))) {
                    error(exchange, 403, "this server answers requests for localhost only", view);
                    return;
                }
                try {
                    handler.handle(exchange);
                } catch (RuntimeException e) {
                    failed(exchange, e, view);
                }
            } catch (IOException e) {
                LOG.debug("HTTP {} {}: the client went away: {}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        e.toString());
            }
        };
    }

    /** Answers a handler's exception, unless an answer was begun: 503 for the database's failure, else 500. */
    private static void failed(HttpExchange exchange, RuntimeException e, DaemonView view) throws IOException {
        Optional<TableException> database = ActionFailure.databaseFailure(e);
        if (database.isPresent()) {
            LOG.warn("HTTP {} {}: the database is unavailable: {}", exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), view.mask(String.valueOf(database.get().getMessage())));
            if (exchange.getResponseCode() < 0) {
                unavailable(exchange, "", database.get(), view);
            }
            return;
        }
        LOG.warn("HTTP {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                view.mask(String.valueOf(e)));
        if (exchange.getResponseCode() < 0) {
            error(exchange, 500, "internal error: " + e.getClass().getSimpleName(), view);
        }
    }

    private static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        int portColon = name.lastIndexOf(':');
        if (portColon > name.lastIndexOf(']')) {
            name = name.substring(0, portColon);
        }
        return LOOPBACK_HOSTS.contains(name) || LOOPBACK_IPV4.matcher(name).matches();
    }

    /** Sends body with status and content type, plus the headers every response carries. */
    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", contentType);
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static void json(HttpExchange exchange, int status, String json) throws IOException {
        send(exchange, status, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code {"error": message}}, the message masked. */
    static void error(HttpExchange exchange, int status, String message, DaemonView view) throws IOException {
        json(exchange, status, view.json(Map.of("error", view.mask(message))));
    }

    /**
     * Answers 503 Service Unavailable: {@code {"error": "PREFIX the database is unavailable: MESSAGE"}},
     * the message of {@code failure} masked.
     */
    static void unavailable(HttpExchange exchange, String prefix, TableException failure, DaemonView view) throws IOException {
        error(exchange, 503, prefix + "the database is unavailable: " + failure.getMessage(), view);
    }

    /** Answers 405 naming the one method allowed, unless the request uses it; true if it does. */
    static boolean allow(HttpExchange exchange, String method, DaemonView view) throws IOException {
        if (exchange.getRequestMethod().equals(method)) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", method);
        error(exchange, 405, exchange.getRequestMethod() + " is not allowed here; use " + method, view);
        return false;
    }

    /** A path segment with its percent-escapes decoded ({@code +} stays a plus, as in paths). */
    static String segment(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
