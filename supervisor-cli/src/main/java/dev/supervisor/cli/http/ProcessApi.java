package dev.supervisor.cli.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.supervisor.Supervisor;
import dev.supervisor.TableException;
import dev.supervisor.web.ActionFailure;
import dev.supervisor.web.PageAction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/processes}: the rows as JSON, a command's log, and the actions.
 * <ul>
 *   <li>{@code GET /api/processes}: every row, the array of {@code list --json};
 *   <li>{@code GET /api/processes/NAME}: one row, the object of {@code status NAME --json}; 404 if none;
 *   <li>{@code GET /api/processes/NAME/log?lines=N}: the last N (default {@value #DEFAULT_LOG_LINES},
 *       at most {@value #MAX_LOG_LINES}) lines of its log, as text;
 *   <li>{@code POST /api/processes/NAME/restart}, {@code .../stop}, {@code .../start}: the
 *       {@link PageAction}s, the supervisor's {@code restart}, {@code pause} and {@code resume} of the key;
 *       {@code POST /api/processes/NAME/signal?signal=HUP}: the signal to its process group; each with the
 *       {@link AccessToken} in {@code Authorization: Bearer TOKEN}: 401 without it, 403 with another,
 *       and nothing done in either case.
 * </ul>
 * When the database cannot be reached or fails, every one of them answers 503 with
 * {@code {"error": "... the database is unavailable: CAUSE"}}, the cause masked.
 */
final class ProcessApi implements HttpHandler {

    static final String PATH = "/api/processes";
    /** The action that is not a {@link PageAction}: a signal to the command's group, through the view. */
    static final String SIGNAL = "signal";
    static final int DEFAULT_LOG_LINES = 100;
    static final int MAX_LOG_LINES = 5000;
    private static final Logger LOG = LoggerFactory.getLogger(ProcessApi.class);
    private static final String BEARER = "Bearer ";

    private final Supervisor<String, ?> supervisor;
    private final DaemonView view;
    private final AccessToken token;

    ProcessApi(Supervisor<String, ?> supervisor, DaemonView view, AccessToken token) {
        this.supervisor = supervisor;
        this.view = view;
        this.token = token;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String rest = exchange.getRequestURI().getRawPath().substring(PATH.length());
        List<String> segments = rest.isEmpty() || rest.equals("/") ? List.of()
                : Arrays.stream(rest.substring(1).split("/", -1)).map(Exchanges::segment).toList();
        if (!rest.isEmpty() && !rest.startsWith("/") || segments.size() > 2 || segments.contains("")) {
            Exchanges.error(exchange, 404, "no such resource; see /api/processes", view);
        } else if (segments.isEmpty()) {
            if (Exchanges.allow(exchange, "GET", view)) {
                Exchanges.json(exchange, 200, view.json(view.rows()));
            }
        } else if (segments.size() == 1) {
            if (Exchanges.allow(exchange, "GET", view)) {
                Optional<Map<String, Object>> row = view.row(segments.get(0));
                if (row.isPresent()) {
                    Exchanges.json(exchange, 200, view.json(row.get()));
                } else {
                    Exchanges.error(exchange, 404, "no process named " + segments.get(0), view);
                }
            }
        } else if (segments.get(1).equals("log")) {
            if (Exchanges.allow(exchange, "GET", view)) {
                log(exchange, segments.get(0));
            }
        } else {
            Optional<PageAction> action = PageAction.named(segments.get(1));
            if (segments.get(1).equals(SIGNAL)) {
                if (Exchanges.allow(exchange, "POST", view) && authorized(exchange)) {
                    signal(exchange, segments.get(0));
                }
            } else if (action.isEmpty()) {
                Exchanges.error(exchange, 404, "no action " + segments.get(1) + "; the actions are restart, stop, start and signal",
                        view);
            } else if (Exchanges.allow(exchange, "POST", view) && authorized(exchange)) {
                act(exchange, segments.get(0), action.get());
            }
        }
    }

    private void log(HttpExchange exchange, String name) throws IOException {
        int lines = DEFAULT_LOG_LINES;
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("lines=")) {
                    try {
                        lines = Integer.parseInt(pair.substring("lines=".length()));
                    } catch (NumberFormatException e) {
                        lines = -1;
                    }
                }
            }
        }
        if (lines < 0 || lines > MAX_LOG_LINES) {
            Exchanges.error(exchange, 400, "lines must be a number within 0.." + MAX_LOG_LINES, view);
            return;
        }
        Optional<String> tail = view.logTail(name, lines);
        if (tail.isPresent()) {
            Exchanges.send(exchange, 200, Exchanges.TEXT, tail.get().getBytes(StandardCharsets.UTF_8));
        } else {
            Exchanges.error(exchange, 404, "no process named " + name, view);
        }
    }

    /** Checks the token; answers 401 or 403 and returns false if it is missing or wrong. */
    private boolean authorized(HttpExchange exchange) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith(BEARER)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"supervisor\"");
            Exchanges.error(exchange, 401, "actions need the daemon's token in the header Authorization: Bearer TOKEN", view);
            return false;
        }
        if (!token.matches(header.substring(BEARER.length()).strip())) {
            Exchanges.error(exchange, 403, "the token is not this daemon's", view);
            return false;
        }
        return true;
    }

    private void act(HttpExchange exchange, String name, PageAction action) throws IOException {
        try {
            action.apply(supervisor, name);
        } catch (RuntimeException e) {
            ActionFailure failure = ActionFailure.of(action.verb(), name, e);
            Exchanges.error(exchange, failure.status(), failure.message(), view);
            return;
        }
        LOG.info("HTTP {} of {} by {}", action.verb(), name, exchange.getRemoteAddress().getAddress().getHostAddress());
        Exchanges.json(exchange, 200, view.json(action.done(name)));
    }

    /** {@code POST .../signal?signal=SIG}: the signal to the command's group, through the view. */
    private void signal(HttpExchange exchange, String name) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String signal = null;
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith("signal=")) {
                signal = java.net.URLDecoder.decode(pair.substring("signal=".length()), StandardCharsets.UTF_8);
            }
        }
        if (signal == null || signal.isBlank()) {
            Exchanges.error(exchange, 400, "signal " + name + ": say which signal, e.g. ?signal=HUP", view);
            return;
        }
        String done;
        try {
            done = view.signal(name, signal);
        } catch (java.util.NoSuchElementException e) {
            Exchanges.error(exchange, 404, "no process named " + name, view);
            return;
        } catch (IllegalArgumentException e) {
            Exchanges.error(exchange, 400, "signal " + name + ": " + e.getMessage(), view);
            return;
        } catch (IllegalStateException e) {
            Exchanges.error(exchange, 409, "signal " + name + ": " + e.getMessage(), view);
            return;
        } catch (TableException e) {
            Exchanges.unavailable(exchange, "signal " + name + ": ", e, view);
            return;
        }
        LOG.info("HTTP signal {} of {} by {}", signal, name, exchange.getRemoteAddress().getAddress().getHostAddress());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("name", name);
        answer.put("action", "signal");
        answer.put("result", done);
        Exchanges.json(exchange, 200, view.json(answer));
    }
}
