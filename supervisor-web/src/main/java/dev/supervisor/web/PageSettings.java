package dev.supervisor.web;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the status page offers where it is served, which {@link StatusPageFiles#index} writes into
 * the page's meta tags: the daemon's page has an operator token, logs, pids and commands; an
 * application's has none of them, its actions going through the application's own security (with
 * its CSRF header, when it has one). Immutable.
 *
 * @param features what the page shows and asks for
 * @param server what serves the page, as the page's messages name it ({@code daemon}, {@code application})
 * @param emptyHint what the page says when there are no processes, or empty for its own words
 * @param csrfHeader the header each action sends {@code csrfToken} in, or empty
 * @param csrfToken the CSRF token of the page's session, or empty
 */
public record PageSettings(Set<Feature> features, String server, Optional<String> emptyHint, Optional<String> csrfHeader,
        Optional<String> csrfToken) {

    /** What a host may offer. */
    public enum Feature {
        /** Actions need an operator token, pasted into the page (the daemon's {@code --http-token-file}). */
        TOKEN,
        /** Clicking a row shows the last lines of its log ({@code api/processes/NAME/log}). */
        LOGS,
        /** The operating-system process id column. */
        PID,
        /** The command column. */
        COMMAND;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Checks the parts and keeps a copy of features. */
    public PageSettings {
        features = Collections.unmodifiableSet(features.isEmpty() ? EnumSet.noneOf(Feature.class) : EnumSet.copyOf(features));
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(emptyHint, "emptyHint");
        if (csrfHeader.isPresent() != csrfToken.isPresent()) {
            throw new IllegalArgumentException("a CSRF header needs its token, and a token its header");
        }
    }

    /** The daemon's page: every feature. */
    public static PageSettings daemon() {
        return new PageSettings(EnumSet.allOf(Feature.class), "daemon", Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** An application's page: no feature, {@code emptyHint} when there are no processes. */
    public static PageSettings application(String emptyHint) {
        return new PageSettings(EnumSet.noneOf(Feature.class), "application", Optional.of(emptyHint), Optional.empty(),
                Optional.empty());
    }

    /** These settings, with every action sending {@code token} in the header {@code header}. */
    public PageSettings withCsrf(String header, String token) {
        return new PageSettings(features, server, emptyHint, Optional.of(header), Optional.of(token));
    }
}
