package dev.supervisor.web;

import dev.supervisor.NotRunningException;
import dev.supervisor.ProcessNotFoundException;
import dev.supervisor.ProcessStartException;
import dev.supervisor.SupervisorException;
import dev.supervisor.TableException;
import java.util.Optional;

/**
 * Why an action on a key failed, as an HTTP status and a message for people: one mapping for every
 * place that offers the actions (the daemon's API, a Spring Boot application's page and its
 * actuator endpoint).
 *
 * @param status 404 for an unknown key, 409 for an action that does not apply (restarting a
 *     paused key, a key run by another node on a table that takes no requests), 500 for a new
 *     process that failed to start, 503 when the supervisor is not running or the database is
 *     unavailable
 * @param message what happened, beginning with {@code VERB NAME: }
 */
public record ActionFailure(int status, String message) {

    /**
     * The failure that {@code failure}, thrown by {@code verb} of {@code name}, stands for.
     *
     * @throws RuntimeException failure itself, when it is none of the supervisor's refusals (a bug: the caller's 500)
     */
    public static ActionFailure of(String verb, String name, RuntimeException failure) {
        String prefix = verb + " " + name + ": ";
        return switch (failure) {
            case ProcessNotFoundException e -> new ActionFailure(404, prefix + "no process named " + name);
            case NotRunningException e -> new ActionFailure(503, prefix + e.getMessage());
            case ProcessStartException e -> new ActionFailure(500, prefix + e.getMessage());
            case SupervisorException e -> conflictOrOutage(prefix, e);
            case UnsupportedOperationException e -> conflictOrOutage(prefix, e);
            default -> throw failure;
        };
    }

    private static ActionFailure conflictOrOutage(String prefix, RuntimeException failure) {
        Optional<TableException> database = databaseFailure(failure); // also a restart whose new start could not read the row
        return database.map(d -> new ActionFailure(503, prefix + "the database is unavailable: " + d.getMessage()))
                .orElseGet(() -> new ActionFailure(409, prefix + failure.getMessage()));
    }

    /**
     * The {@link TableException} naming no row that failure is or was caused by, if any: the
     * database failed (one naming a row says that row cannot be decoded, which is no outage).
     */
    public static Optional<TableException> databaseFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof TableException table && table.key() == null) {
                return Optional.of(table);
            }
        }
        return Optional.empty();
    }
}
