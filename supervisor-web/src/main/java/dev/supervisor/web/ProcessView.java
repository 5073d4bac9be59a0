package dev.supervisor.web;

import dev.supervisor.KeyState;
import dev.supervisor.ProcessExit;
import dev.supervisor.ProcessStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One process as the status page and its API show it: the JSON object of one row of
 * {@code GET api/processes} (and of the daemon's {@code list --json}). Immutable. Its fields, in
 * this order, {@code null} where unknown or not applicable:
 *
 * <table>
 *   <caption>the fields</caption>
 *   <tr><th>field</th><th>JSON type</th><th>what</th></tr>
 *   <tr><td>{@code name}</td><td>string</td><td>the key</td></tr>
 *   <tr><td>{@code state}</td><td>string</td><td>{@code RUNNING}, {@code BACKOFF}, ... (a {@code KeyState}, or a
 *       state of the host's own such as the daemon's {@code PENDING})</td></tr>
 *   <tr><td>{@code pid}</td><td>number</td><td>the operating-system process id, for a host that runs commands</td></tr>
 *   <tr><td>{@code processStartedAt}</td><td>string</td><td>when the OS started that process</td></tr>
 *   <tr><td>{@code attempt}, {@code restarts}</td><td>number</td><td>the current or latest attempt (0 before the
 *       first), restarts so far</td></tr>
 *   <tr><td>{@code startedAt}, {@code runningSince}</td><td>string</td><td>when the current attempt started,
 *       became RUNNING</td></tr>
 *   <tr><td>{@code nextAttemptAt}</td><td>string</td><td>when the next attempt is due, in {@code BACKOFF}</td></tr>
 *   <tr><td>{@code paused}</td><td>boolean</td><td>whether the row is paused</td></tr>
 *   <tr><td>{@code lastExit}</td><td>number</td><td>the exit code of the last exit, for a host that runs commands</td></tr>
 *   <tr><td>{@code lastExitKind}, {@code lastError}</td><td>string</td><td>how the last attempt ended
 *       ({@code FAILED}, {@code STOPPED}, ..., or a host's finer kind such as the daemon's {@code oom-killed},
 *       {@code unhealthy}) and why</td></tr>
 *   <tr><td>{@code reason}</td><td>string</td><td>why the row is {@code GIVEN_UP}, for people</td></tr>
 *   <tr><td>{@code health}</td><td>string</td><td>the latest result of its health checks, for people
 *       ({@code ok: ...}, {@code failing: ...})</td></tr>
 *   <tr><td>{@code command}</td><td>array of strings</td><td>the command's argument vector, for a host that runs commands</td></tr>
 *   <tr><td>{@code restart}, {@code dir}</td><td>string</td><td>the command's restart mode and directory</td></tr>
 *   <tr><td>{@code node}, {@code updatedAt}</td><td>string</td><td>which node reported the status, and when</td></tr>
 * </table>
 * Instants are ISO-8601 in UTC.
 */
public final class ProcessView {

    private final Map<String, Object> json;

    private ProcessView(Map<String, Object> json) {
        this.json = Collections.unmodifiableMap(json);
    }

    /**
     * A key of a supervisor in this JVM, as its status tells it: no {@code pid}, {@code command} or
     * exit code (those are the daemon's); {@code lastError} is the runner's exception (its simple
     * class name and message), or why the key's row cannot be decoded.
     *
     * @param node the name of the node the supervisor runs on
     */
    public static ProcessView of(ProcessStatus<?> status, String node) {
        Optional<ProcessExit> exit = status.lastExit();
        return builder(String.valueOf(status.key()), status.state().name())
                .attempt(status.attempt())
                .restarts(status.restarts())
                .startedAt(status.startedAt().orElse(null))
                .runningSince(status.runningSince().orElse(null))
                .nextAttemptAt(status.nextAttemptAt().orElse(null))
                .paused(status.state() == KeyState.PAUSED)
                .lastExitKind(exit.map(e -> e.kind().name()).orElse(null))
                .lastError(status.invalidReason().or(() -> exit.flatMap(ProcessExit::error).map(ProcessView::describe))
                        .orElse(null))
                .node(node)
                .build();
    }

    /** An error for people: its simple class name, and its message if it has one. */
    static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** A builder of the process named {@code name}, in {@code state}; every other field starts unknown. */
    public static Builder builder(String name, String state) {
        return new Builder(name, state);
    }

    /** The key. */
    public String name() {
        return (String) json.get("name");
    }

    /** The state shown. */
    public String state() {
        return (String) json.get("state");
    }

    /** The JSON object: a map of the fields above, in their order, to strings, numbers, booleans, lists and nulls. */
    public Map<String, Object> toJson() {
        return json;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ProcessView view && view.json.equals(json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return "ProcessView" + json;
    }

    /** Sets the fields of a {@link ProcessView}; a {@code null} argument leaves the field unknown. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final String state;
        private Long pid;
        private Instant processStartedAt;
        private int attempt;
        private int restarts;
        private Instant startedAt;
        private Instant runningSince;
        private Instant nextAttemptAt;
        private boolean paused;
        private Integer lastExit;
        private String lastExitKind;
        private String lastError;
        private String reason;
        private String health;
        private List<String> command;
        private String restart;
        private String dir;
        private String node;
        private Instant updatedAt;

        private Builder(String name, String state) {
            this.name = Objects.requireNonNull(name, "name");
            this.state = Objects.requireNonNull(state, "state");
        }

        public Builder pid(Long pid) {
            this.pid = pid;
            return this;
        }

        public Builder processStartedAt(Instant at) {
            this.processStartedAt = at;
            return this;
        }

        public Builder attempt(int attempt) {
            this.attempt = attempt;
            return this;
        }

        public Builder restarts(int restarts) {
            this.restarts = restarts;
            return this;
        }

        public Builder startedAt(Instant at) {
            this.startedAt = at;
            return this;
        }

        public Builder runningSince(Instant at) {
            this.runningSince = at;
            return this;
        }

        public Builder nextAttemptAt(Instant at) {
            this.nextAttemptAt = at;
            return this;
        }

        public Builder paused(boolean paused) {
            this.paused = paused;
            return this;
        }

        /** The exit code of the last exit. */
        public Builder lastExit(Integer code) {
            this.lastExit = code;
            return this;
        }

        public Builder lastExitKind(String kind) {
            this.lastExitKind = kind;
            return this;
        }

        public Builder lastError(String error) {
            this.lastError = error;
            return this;
        }

        /** Why the row is given up, for people. */
        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        /** The latest result of its health checks, for people. */
        public Builder health(String health) {
            this.health = health;
            return this;
        }

        /** The command's argument vector (copied). */
        public Builder command(List<String> argv) {
            this.command = argv == null ? null : List.copyOf(argv);
            return this;
        }

        public Builder restart(String mode) {
            this.restart = mode;
            return this;
        }

        public Builder dir(String dir) {
            this.dir = dir;
            return this;
        }

        public Builder node(String node) {
            this.node = node;
            return this;
        }

        public Builder updatedAt(Instant at) {
            this.updatedAt = at;
            return this;
        }

        public ProcessView build() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", name);
            json.put("state", state);
            json.put("pid", pid);
            json.put("processStartedAt", text(processStartedAt));
            json.put("attempt", attempt);
            json.put("restarts", restarts);
            json.put("startedAt", text(startedAt));
            json.put("runningSince", text(runningSince));
            json.put("nextAttemptAt", text(nextAttemptAt));
            json.put("paused", paused);
            json.put("lastExit", lastExit);
            json.put("lastExitKind", lastExitKind);
            json.put("lastError", lastError);
            json.put("reason", reason);
            json.put("health", health);
            json.put("command", command);
            json.put("restart", restart);
            json.put("dir", dir);
            json.put("node", node);
            json.put("updatedAt", text(updatedAt));
            return new ProcessView(json);
        }

        private static String text(Instant instant) {
            return instant == null ? null : instant.toString();
        }
    }
}
