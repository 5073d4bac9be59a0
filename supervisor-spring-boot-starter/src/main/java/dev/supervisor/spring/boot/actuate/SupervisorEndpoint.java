package dev.supervisor.spring.boot.actuate;

import dev.supervisor.KeyState;
import dev.supervisor.PassReport;
import dev.supervisor.ProcessExit;
import dev.supervisor.ProcessStatus;
import dev.supervisor.StopCause;
import dev.supervisor.Supervisor;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The actuator endpoint {@code supervisor}: every key the supervisor knows with its status, one
 * key's status, and the write operations {@code restart}, {@code pause}, {@code resume} and
 * {@code reset} of one key. Like every actuator endpoint it is reachable over HTTP only once exposed
 * ({@code management.endpoints.web.exposure.include=health,supervisor}), and
 * {@code management.endpoint.supervisor.access=read-only} keeps its write operations off.
 *
 * <ul>
 *   <li>{@code GET /actuator/supervisor}: the supervisor ({@link SupervisorDescriptor});
 *   <li>{@code GET /actuator/supervisor/{key}}: one key ({@link ProcessDescriptor}), 404 if the supervisor does not know it;
 *   <li>{@code POST /actuator/supervisor/{key}} with {@code {"action": "restart"}} (or {@code pause},
 *       {@code resume}, {@code reset}): the action, answered once done ({@link ActionDescriptor}).
 * </ul>
 * It reads the supervisor's snapshots only (never the database); the actions are the supervisor's
 * {@link Supervisor#restart}, {@link Supervisor#pause}, {@link Supervisor#resume} and
 * {@link Supervisor#reset}. In cluster mode it shows the keys of this node; a restart, pause or
 * resume of a key another node runs goes to that node through the table.
 */
@Endpoint(id = "supervisor")
public class SupervisorEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(SupervisorEndpoint.class);

    private final Supervisor<String, ?> supervisor;
    private final String node;

    /**
     * The endpoint of {@code supervisor}, running on the node named {@code node}.
     */
    public SupervisorEndpoint(Supervisor<String, ?> supervisor, String node) {
        this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
        this.node = Objects.requireNonNull(node, "node");
    }

    /** The supervisor and every key it knows, in key order. */
    @ReadOperation
    public SupervisorDescriptor supervisor() {
        Instant now = Instant.now();
        List<ProcessDescriptor> processes = supervisor.statuses().values().stream()
                .sorted(Comparator.comparing(ProcessStatus::key))
                .map(status -> ProcessDescriptor.of(status, node, now))
                .toList();
        return new SupervisorDescriptor(supervisor.name(), supervisor.isLaunched(), node,
                supervisor.lastPass().map(PassDescriptor::of).orElse(null), processes);
    }

    /** One key's status, or null (404) when the supervisor knows nothing of it. */
    @ReadOperation
    public @Nullable ProcessDescriptor process(@Selector String key) {
        return supervisor.status(key).map(status -> ProcessDescriptor.of(status, node, Instant.now())).orElse(null);
    }

    /**
     * Does {@code action} to {@code key} and answers once it is done: a restart once the new process
     * runs, a pause once the process ended; a resume and a reset do not wait for the start they cause.
     *
     * @throws InvalidEndpointRequestException (400) if action is none of restart, pause, resume, reset
     * @throws RuntimeException what the supervisor's method throws (see {@code ActionFailure} for the
     *     status each gets over HTTP)
     */
    @WriteOperation
    public ActionDescriptor act(@Selector String key, String action) {
        Action todo = Action.named(action);
        String result = todo.apply(supervisor, key);
        LOG.info("[{}] {} of {} through the actuator endpoint: {}", supervisor.name(), todo.verb(), key, result);
        return new ActionDescriptor(key, todo.verb(), result, process(key));
    }

    /** The write operations. */
    enum Action {
        RESTART {
            @Override
            String apply(Supervisor<String, ?> supervisor, String key) {
                return supervisor.restart(key) == null ? "restart requested from the node that runs it" : "restarted";
            }
        },
        PAUSE {
            @Override
            String apply(Supervisor<String, ?> supervisor, String key) {
                supervisor.pause(key);
                return "paused";
            }
        },
        RESUME {
            @Override
            String apply(Supervisor<String, ?> supervisor, String key) {
                supervisor.resume(key);
                return "resuming";
            }
        },
        RESET {
            @Override
            String apply(Supervisor<String, ?> supervisor, String key) {
                supervisor.reset(key);
                return "reset";
            }
        };

        abstract String apply(Supervisor<String, ?> supervisor, String key);

        String verb() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Action named(String verb) {
            return Arrays.stream(values()).filter(a -> a.verb().equals(verb)).findFirst()
                    .orElseThrow(() -> new InvalidEndpointRequestException("no action '" + verb + "': the actions are "
                            + Arrays.stream(values()).map(Action::verb).collect(Collectors.joining(", ")),
                            "unknown action"));
        }
    }

    /**
     * The supervisor.
     *
     * @param name its name
     * @param launched whether it runs (launched and not closing)
     * @param node the node it runs on
     * @param lastPass its last full reconcile pass, or null before the first ended
     * @param processes every key it knows, in key order
     */
    public record SupervisorDescriptor(String name, boolean launched, String node, @Nullable PassDescriptor lastPass,
            List<ProcessDescriptor> processes) implements OperationResponseBody {
    }

    /**
     * A reconcile pass.
     *
     * @param startedAt when it began (ISO-8601)
     * @param duration how long it took (ISO-8601)
     * @param rowsSeen the rows it read
     * @param complete whether it read the whole table
     * @param error why it ended early, or null
     */
    public record PassDescriptor(String startedAt, String duration, int rowsSeen, boolean complete, @Nullable String error) {

        static PassDescriptor of(PassReport<?> pass) {
            return new PassDescriptor(pass.startedAt().toString(), pass.duration().toString(), pass.rowsSeen(), pass.complete(),
                    pass.failure().map(String::valueOf).orElse(null));
        }
    }

    /**
     * One key.
     *
     * @param key the key
     * @param state {@code running}, {@code backoff}, {@code paused}, ... (a {@link KeyState}, lower case as the meters tag it)
     * @param attempt the current or latest attempt (1 on the first start, 0 before it)
     * @param restarts how often it was started again
     * @param startedAt when the current or latest attempt started, or null
     * @param runningSince when it became RUNNING, or null
     * @param uptime how long it has been RUNNING (ISO-8601), or null when it is not running
     * @param nextAttemptAt when the next attempt is due, in {@code backoff}; else null
     * @param lastExit how the latest attempt ended, or null
     * @param invalidReason why its row cannot be decoded, in {@code invalid}; else null
     * @param node the node it runs on
     */
    public record ProcessDescriptor(String key, String state, int attempt, int restarts, @Nullable String startedAt,
            @Nullable String runningSince, @Nullable String uptime, @Nullable String nextAttemptAt, @Nullable ExitDescriptor lastExit,
            @Nullable String invalidReason, String node) implements OperationResponseBody {

        static ProcessDescriptor of(ProcessStatus<String> status, String node, Instant now) {
            return new ProcessDescriptor(status.key(), status.state().name().toLowerCase(Locale.ROOT), status.attempt(),
                    status.restarts(), text(status.startedAt()), text(status.runningSince()),
                    status.state() == KeyState.RUNNING ? status.uptime(now).toString() : null, text(status.nextAttemptAt()),
                    status.lastExit().map(ExitDescriptor::of).orElse(null), status.invalidReason().orElse(null), node);
        }

        private static @Nullable String text(Optional<Instant> instant) {
            return instant.map(Instant::toString).orElse(null);
        }
    }

    /**
     * How an attempt ended.
     *
     * @param kind {@code succeeded}, {@code failed}, {@code start_failed}, {@code stopped} or {@code cancelled}
     * @param attempt the attempt that ended
     * @param at when (ISO-8601)
     * @param ran how long it had been RUNNING (ISO-8601)
     * @param error the runner's exception, or null
     * @param stopCause why the supervisor stopped it ({@code restart}, {@code row_updated}, {@code paused}, {@code group}), or null
     */
    public record ExitDescriptor(String kind, int attempt, String at, String ran, @Nullable String error,
            @Nullable String stopCause) {

        static ExitDescriptor of(ProcessExit exit) {
            return new ExitDescriptor(exit.kind().name().toLowerCase(Locale.ROOT), exit.attempt(), exit.at().toString(),
                    exit.ran().toString(), exit.error().map(String::valueOf).orElse(null),
                    exit.stopCause().map(StopCause::name).map(c -> c.toLowerCase(Locale.ROOT)).orElse(null));
        }
    }

    /**
     * A write operation done.
     *
     * @param key the key
     * @param action {@code restart}, {@code pause}, {@code resume} or {@code reset}
     * @param result what it did
     * @param process the key's status right after, or null if this node does not know it (in cluster mode, another node runs it)
     */
    public record ActionDescriptor(String key, String action, String result, @Nullable ProcessDescriptor process)
            implements OperationResponseBody {
    }
}
