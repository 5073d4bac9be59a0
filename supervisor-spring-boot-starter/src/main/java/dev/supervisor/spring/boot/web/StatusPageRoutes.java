package dev.supervisor.spring.boot.web;

import dev.supervisor.ProcessStatus;
import dev.supervisor.Supervisor;
import dev.supervisor.web.ActionFailure;
import dev.supervisor.web.PageAction;
import dev.supervisor.web.PageSettings;
import dev.supervisor.web.ProcessView;
import dev.supervisor.web.StatusPageFiles;
import dev.supervisor.web.StatusPageFiles.PageFile;
import java.net.URI;
import java.security.Principal;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The status page inside the application, at {@code supervisor.web.path} (default
 * {@code /supervisor}) on the application's own server and behind its own security: the daemon's
 * page (supervisor-web's {@link StatusPageFiles}) and the API it reads, for the keys of this node's
 * supervisor.
 * <ul>
 *   <li>{@code GET PATH/}: the page, with the CSRF token of Spring Security's session when there is one;
 *   <li>{@code GET PATH/api/processes}: every key the supervisor knows, in key order, as {@link ProcessView}s;
 *   <li>{@code GET PATH/api/processes/KEY}: one key; 404 if the supervisor does not know it;
 *   <li>{@code POST PATH/api/processes/KEY/restart}, {@code .../stop}, {@code .../start}: the
 *       {@link PageAction}s (the supervisor's restart, pause and resume), with a JSON body (415
 *       otherwise, so that no form of another site can send one); refusals answered as
 *       {@link ActionFailure} says.
 * </ul>
 * Every answer carries {@code Cache-Control: no-store}, {@code X-Content-Type-Options: nosniff},
 * {@code X-Frame-Options: DENY} and {@code Referrer-Policy: no-referrer}; the page's files also the
 * page's Content-Security-Policy.
 */
public final class StatusPageRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(StatusPageRoutes.class);
    private static final String EMPTY_HINT = "No processes: insert a row into the supervisor's table and it appears here.";
    private static final boolean SPRING_SECURITY = ClassUtils.isPresent(
            "org.springframework.security.web.csrf.CsrfToken", StatusPageRoutes.class.getClassLoader());

    private final Supervisor<String, ?> supervisor;
    private final String node;
    private final String path;

    /**
     * The page of {@code supervisor}, running on {@code node}, at {@code path}.
     *
     * @throws IllegalArgumentException if path does not start with {@code /}, or is {@code /} alone
     */
    public StatusPageRoutes(Supervisor<String, ?> supervisor, String node, String path) {
        this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
        this.node = Objects.requireNonNull(node, "node");
        this.path = normalized(path);
    }

    static String normalized(String path) {
        String trimmed = path.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (!path.strip().startsWith("/") || trimmed.isEmpty() || trimmed.contains("{") || trimmed.contains("*")) {
            throw new IllegalArgumentException("supervisor.web.path must be a path such as /supervisor (beginning with /, "
                    + "not / alone, without patterns), was '" + path + "'");
        }
        return trimmed;
    }

    /** Where the page is, without its trailing slash. */
    public String path() {
        return path;
    }

    /** The routes, for a {@code RouterFunction} bean. */
    public RouterFunction<ServerResponse> routes() {
        String last = path.substring(path.lastIndexOf('/') + 1);
        return RouterFunctions.route()
                .GET(path, request -> ServerResponse.status(HttpStatus.FOUND).location(URI.create(last + "/")).build())
                .GET(path + "/", this::index)
                .GET(path + "/status.css", request -> file(StatusPageFiles.file("status.css").orElseThrow()))
                .GET(path + "/status.js", request -> file(StatusPageFiles.file("status.js").orElseThrow()))
                .GET(path + "/api/processes", request -> json(HttpStatus.OK, processes()))
                .GET(path + "/api/processes/{name}", request -> process(request.pathVariable("name")))
                .POST(path + "/api/processes/{name}/{verb}", this::act)
                .build();
    }

    private ServerResponse index(ServerRequest request) {
        PageSettings settings = PageSettings.application(EMPTY_HINT);
        return file(StatusPageFiles.index(SPRING_SECURITY ? SpringSecurityCsrf.apply(request, settings) : settings));
    }

    private List<Map<String, Object>> processes() {
        return supervisor.statuses().values().stream().sorted(Comparator.comparing(ProcessStatus::key))
                .map(status -> ProcessView.of(status, node).toJson()).toList();
    }

    private ServerResponse process(String name) {
        return supervisor.status(name).map(status -> json(HttpStatus.OK, ProcessView.of(status, node).toJson()))
                .orElseGet(() -> error(HttpStatus.NOT_FOUND.value(), "no process named " + name));
    }

    private ServerResponse act(ServerRequest request) {
        String name = request.pathVariable("name");
        Optional<PageAction> action = PageAction.named(request.pathVariable("verb"));
        if (action.isEmpty()) {
            return error(HttpStatus.NOT_FOUND.value(), "no action " + request.pathVariable("verb") + "; the actions are "
                    + Arrays.stream(PageAction.values()).map(PageAction::verb).collect(Collectors.joining(", ")));
        }
        boolean json = request.headers().contentType().map(MediaType.APPLICATION_JSON::isCompatibleWith).orElse(false);
        if (!json) {
            return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE.value(), "an action is a POST with a JSON body (Content-Type: "
                    + "application/json), as the status page sends it");
        }
        try {
            action.get().apply(supervisor, name);
        } catch (RuntimeException e) {
            ActionFailure failure = ActionFailure.of(action.get().verb(), name, e);
            return error(failure.status(), failure.message());
        }
        LOG.info("[{}] {} of {} from the status page by {} ({})", supervisor.name(), action.get().verb(), name,
                request.principal().map(Principal::getName).orElse("an anonymous user"), request.remoteAddress()
                        .map(address -> address.getAddress().getHostAddress()).orElse("?"));
        return json(HttpStatus.OK, action.get().done(name));
    }

    private static ServerResponse file(PageFile file) {
        return ServerResponse.ok().headers(StatusPageRoutes::protect)
                .header("Content-Security-Policy", StatusPageFiles.CONTENT_SECURITY_POLICY)
                .contentType(MediaType.parseMediaType(file.contentType())).body(file.content());
    }

    private static ServerResponse json(HttpStatus status, Object body) {
        return ServerResponse.status(status).headers(StatusPageRoutes::protect).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    private static ServerResponse error(int status, String message) {
        return ServerResponse.status(status).headers(StatusPageRoutes::protect).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", message));
    }

    private static void protect(HttpHeaders headers) {
        headers.setCacheControl("no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
    }

    @Override
    public String toString() {
        return "StatusPageRoutes[" + path + "/ for " + supervisor.name() + "]";
    }
}
