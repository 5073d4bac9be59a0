package dev.supervisor.cli;

import dev.supervisor.RestartMode;
import dev.supervisor.cli.output.Json;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one row asks to run: the command's argument vector, extra environment variables, the
 * working directory and the restart mode. Stored as the row's payload in JSON:
 *
 * <pre>{"argv":["sh","-c","echo hi; sleep 60"],"env":{"GREETING":"hi"},"dir":"/srv/app","restart":"on-failure"}</pre>
 *
 * Only {@code argv} is required; {@code env} adds to (or overrides) the daemon's environment,
 * {@code dir} defaults to the daemon's working directory, {@code restart} to {@code always}.
 * Immutable.
 */
public record CommandSpec(List<String> argv, Map<String, String> env, Optional<Path> dir, RestartMode restart) {

    public CommandSpec {
        argv = List.copyOf(argv);
        if (argv.isEmpty() || argv.getFirst().isEmpty()) {
            throw new IllegalArgumentException("the command is empty");
        }
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(restart, "restart");
    }

    /** The program: the first element of {@link #argv()}. */
    public String program() {
        return argv.getFirst();
    }

    /** The payload: this spec as JSON. */
    String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("argv", argv);
        if (!env.isEmpty()) {
            json.put("env", env);
        }
        dir.ifPresent(d -> json.put("dir", d.toString()));
        json.put("restart", RestartModes.name(restart));
        return Json.write(json);
    }

    /**
     * The spec stored in a payload.
     *
     * @throws IllegalArgumentException saying what is wrong if payload is not a command's JSON
     */
    public static CommandSpec fromJson(String payload) {
        if (payload == null || payload.isBlank()) {
            throw new IllegalArgumentException("the payload is empty; expected a command as JSON, such as {\"argv\":[\"sleep\",\"60\"]}");
        }
        if (!(Json.read(payload) instanceof Map<?, ?> json)) {
            throw new IllegalArgumentException("the payload is not a JSON object with \"argv\"");
        }
        for (Object key : json.keySet()) {
            if (!List.of("argv", "env", "dir", "restart").contains(key)) {
                throw new IllegalArgumentException("unknown field \"" + key + "\" in the payload (known: argv, env, dir, restart)");
            }
        }
        if (!(json.get("argv") instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw new IllegalArgumentException("\"argv\" must be an array of strings, such as [\"sleep\", \"60\"]");
        }
        Map<String, String> env = new LinkedHashMap<>();
        Object envJson = json.get("env");
        if (envJson instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object value = entry.getValue();
                env.put((String) entry.getKey(), switch (value) {
                    case BigDecimal decimal -> decimal.toPlainString();
                    case Number number -> number.toString();
                    default -> stringOf("env." + entry.getKey(), value);
                });
            }
        } else if (envJson != null) {
            throw new IllegalArgumentException("\"env\" must be an object of strings");
        }
        Optional<Path> dir = Optional.ofNullable(json.get("dir")).map(d -> Path.of(stringOf("dir", d)));
        RestartMode restart = json.get("restart") == null ? RestartMode.ALWAYS : RestartModes.parse(stringOf("restart", json.get("restart")));
        return new CommandSpec(list.stream().map(String.class::cast).toList(), env, dir, restart);
    }

    private static String stringOf(String field, Object value) {
        if (value instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("\"" + field + "\" must be a string");
    }
}
