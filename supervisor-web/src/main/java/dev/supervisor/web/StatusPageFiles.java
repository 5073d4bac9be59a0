package dev.supervisor.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The status page's files, {@code index.html}, {@code status.css} and {@code status.js}, read once
 * from this jar (nothing comes from elsewhere, so the page works offline). The script reads
 * {@code api/processes} (relative to the page) every second and puts every value on the page as
 * text, never as HTML; a host serves each file with {@link #CONTENT_SECURITY_POLICY}, which lets the
 * page load only its own script and style and talk only to its own server.
 */
public final class StatusPageFiles {

    /** The {@code Content-Security-Policy} header every file of the page is served with. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Map<String, PageFile> FILES = Map.of(
            "index.html", PageFile.load("index.html", "text/html; charset=utf-8"),
            "status.css", PageFile.load("status.css", "text/css; charset=utf-8"),
            "status.js", PageFile.load("status.js", "text/javascript; charset=utf-8"));

    private StatusPageFiles() {
    }

    /** The file named {@code name} ({@code index.html}, {@code status.css} or {@code status.js}), or empty. */
    public static Optional<PageFile> file(String name) {
        return Optional.ofNullable(FILES.get(name));
    }

    /**
     * One file of the page.
     *
     * @param name its name, as the page refers to it
     * @param contentType its {@code Content-Type}, with the charset
     * @param content its bytes
     */
    public record PageFile(String name, String contentType, byte[] content) {

        /** Keeps a copy of content. */
        public PageFile {
            content = content.clone();
        }

        /** A copy of its bytes. */
        @Override
        public byte[] content() {
            return content.clone();
        }

        static PageFile load(String name, String contentType) {
            try (InputStream in = StatusPageFiles.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("the jar lacks " + name + " beside " + StatusPageFiles.class.getName());
                }
                return new PageFile(name, contentType, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
