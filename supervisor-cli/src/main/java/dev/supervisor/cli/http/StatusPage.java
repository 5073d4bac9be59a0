package dev.supervisor.cli.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.supervisor.web.StatusPageFiles;
import dev.supervisor.web.StatusPageFiles.PageFile;
import java.io.IOException;
import java.util.Map;

/**
 * The page for people, from supervisor-web ({@link StatusPageFiles}): {@code index.html} at
 * {@code /}, {@code status.css} and {@code status.js}, each with the page's
 * Content-Security-Policy.
 */
final class StatusPage implements HttpHandler {

    private static final Map<String, PageFile> FILES = Map.of(
            "/", StatusPageFiles.file("index.html").orElseThrow(),
            "/status.css", StatusPageFiles.file("status.css").orElseThrow(),
            "/status.js", StatusPageFiles.file("status.js").orElseThrow());

    private final DaemonView view;

    StatusPage(DaemonView view) {
        this.view = view;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        PageFile file = FILES.get(exchange.getRequestURI().getRawPath());
        if (file == null) {
            Exchanges.error(exchange, 404, "no such page; the status page is at /", view);
        } else if (Exchanges.allow(exchange, "GET", view)) {
            exchange.getResponseHeaders().set("Content-Security-Policy", StatusPageFiles.CONTENT_SECURITY_POLICY);
            Exchanges.send(exchange, 200, file.contentType(), file.content());
        }
    }
}
