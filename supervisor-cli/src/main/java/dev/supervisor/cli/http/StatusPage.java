package dev.supervisor.cli.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The page for people: {@code index.html}, {@code status.css} and {@code status.js}, served from
 * the jar (nothing from elsewhere, so it works offline). The script reads {@code /api/processes}
 * every second and renders every value as text. The Content-Security-Policy lets the page load
 * only its own script and style and talk only to this server.
 */
final class StatusPage implements HttpHandler {

    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final Map<String, Asset> ASSETS = Map.of(
            "/", Asset.load("index.html", "text/html; charset=utf-8"),
            "/status.css", Asset.load("status.css", "text/css; charset=utf-8"),
            "/status.js", Asset.load("status.js", "text/javascript; charset=utf-8"));

    private final DaemonView view;

    StatusPage(DaemonView view) {
        this.view = view;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Asset asset = ASSETS.get(exchange.getRequestURI().getRawPath());
        if (asset == null) {
            Exchanges.error(exchange, 404, "no such page; the status page is at /", view);
        } else if (Exchanges.allow(exchange, "GET", view)) {
            exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
            Exchanges.send(exchange, 200, asset.contentType(), asset.bytes());
        }
    }

    /** A file of the page, read once from the jar. */
    private record Asset(byte[] bytes, String contentType) {
        static Asset load(String name, String contentType) {
            try (InputStream in = StatusPage.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("the jar lacks " + name + " beside " + StatusPage.class.getName());
                }
                return new Asset(in.readAllBytes(), contentType);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
