package dev.supervisor.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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

    /** The meta tags of index.html that {@link #index} rewrites. */
    private static final Pattern SETTINGS_METAS = Pattern.compile(
            "<meta name=\"supervisor-features\" content=\"[^\"]*\">\\s*<meta name=\"supervisor-server\" content=\"[^\"]*\">");
    private static final Map<String, PageFile> FILES = Map.of(
            "index.html", PageFile.load("index.html", "text/html; charset=utf-8"),
            "status.css", PageFile.load("status.css", "text/css; charset=utf-8"),
            "status.js", PageFile.load("status.js", "text/javascript; charset=utf-8"));

    private StatusPageFiles() {
    }

    /**
     * The page's {@code index.html} for a host with {@code settings}: its meta tags say what the
     * page offers there. The file as {@link #file} gives it is the daemon's ({@link PageSettings#daemon()}).
     */
    public static PageFile index(PageSettings settings) {
        String html = new String(FILES.get("index.html").content(), StandardCharsets.UTF_8);
        Matcher metas = SETTINGS_METAS.matcher(html);
        if (!metas.find()) {
            throw new IllegalStateException("index.html lacks the meta tags supervisor-features and supervisor-server");
        }
        StringBuilder tags = new StringBuilder();
        tags.append(meta("supervisor-features", settings.features().stream().map(PageSettings.Feature::word)
                .collect(Collectors.joining(" "))));
        tags.append("\n  ").append(meta("supervisor-server", settings.server()));
        settings.emptyHint().ifPresent(hint -> tags.append("\n  ").append(meta("supervisor-empty", hint)));
        settings.csrfHeader().ifPresent(header -> tags.append("\n  ").append(meta("supervisor-csrf-header", header)));
        settings.csrfToken().ifPresent(token -> tags.append("\n  ").append(meta("supervisor-csrf-token", token)));
        String page = html.substring(0, metas.start()) + tags + html.substring(metas.end());
        return new PageFile("index.html", "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    private static String meta(String name, String content) {
        return "<meta name=\"" + name + "\" content=\"" + escape(content) + "\">";
    }

    /** Text for an HTML attribute value in double quotes. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
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
