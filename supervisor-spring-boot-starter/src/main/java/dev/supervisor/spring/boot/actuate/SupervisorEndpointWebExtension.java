package dev.supervisor.spring.boot.actuate;

import dev.supervisor.spring.boot.actuate.SupervisorEndpoint.ActionDescriptor;
import dev.supervisor.web.ActionFailure;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The HTTP side of {@link SupervisorEndpoint}'s write operation: a refusal of the supervisor gets
 * its status ({@link ActionFailure}: 404 for an unknown key, 409 for an action that does not apply,
 * 500 for a new process that failed to start, 503 when the supervisor is not running or the
 * database is unavailable) and the body {@code {"error": "..."}}; an unknown action gets 400.
 */
@EndpointWebExtension(endpoint = SupervisorEndpoint.class)
public class SupervisorEndpointWebExtension {

    private final SupervisorEndpoint endpoint;

    /** The HTTP side of {@code endpoint}. */
    public SupervisorEndpointWebExtension(SupervisorEndpoint endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    /** {@link SupervisorEndpoint#act}, with the status codes above. */
    @WriteOperation
    public WebEndpointResponse<Object> act(@Selector String key, String action) {
        try {
            ActionDescriptor done = endpoint.act(key, action);
            return new WebEndpointResponse<>(done);
        } catch (RuntimeException e) {
            ActionFailure failure = ActionFailure.of(action, key, e);
            return new WebEndpointResponse<>(Map.of("error", failure.message()), failure.status());
        }
    }
}
