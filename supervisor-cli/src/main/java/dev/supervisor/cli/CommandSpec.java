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
 * working directory, the restart mode, and the row's {@link RowSettings} (limits, health checks,
 * give-up, stop signal, user, ...). Stored as the row's payload in JSON:
 *
 * <pre>{"argv":["sh","-c","echo hi; sleep 60"],"env":{"GREETING":"hi"},"dir":"/srv/app","restart":"on-failure",
 *  "memoryMax":"512M","health":{"http":"http://127.0.0.1:8080/health"}}</pre>
 *
 * Only {@code argv} is required; {@code env} adds to (or overrides) the daemon's environment,
 * {@code dir} defaults to the daemon's working directory, {@code restart} to {@code always}; the
 * other fields are {@link RowSettings}'s. Every field is checked when the payload is read, and a
 * bad one is refused with a message naming it. Immutable.
 */
public record CommandSpec(List<String> argv, Map<String, String> env, Optional<Path> dir, RestartMode restart,
        RowSettings settings) {

    /** The fields of a payload besides {@link RowSettings#FIELDS}. */
    private static final List<String> OWN_FIELDS = List.of("argv", "env", "dir", "restart");

    public CommandSpec {
        argv = List.copyOf(argv);
        if (argv.isEmpty() || argv.getFirst().isEmpty()) {
            throw new IllegalArgumentException("the command is empty");
        }
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(restart, "restart");
        Objects.requireNonNull(settings, "settings");
    }

    /** A spec with the default settings. */
    public CommandSpec(List<String> argv, Map<String, String> env, Optional<Path> dir, RestartMode restart) {
        this(argv, env, dir, restart, RowSettings.DEFAULT);
    }

    /** The program: the first element of {@link #argv()}. */
    public String program() {
        return argv.getFirst();
    }

    /** This spec with other settings. */
    public CommandSpec withSettings(RowSettings other) {
        return new CommandSpec(argv, env, dir, restart, other);
    }

    /** The payload: this spec as JSON, default settings left out. */
    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("argv", argv);
        if (!env.isEmpty()) {
            json.put("env", env);
        }
        dir.ifPresent(d -> json.put("dir", d.toString()));
        json.put("restart", RestartModes.name(restart));
        settings.writeTo(json);
        return Json.write(json);
    }

    /**
     * The spec stored in a payload.
     *
     * @throws IllegalArgumentException saying what is wrong (naming the field) if payload is not a command's JSON
     */
    public static CommandSpec fromJson(String payload) {
        if (payload == null || payload.isBlank()) {
            throw new IllegalArgumentException("the payload is empty; expected a command as JSON, such as {\"argv\":[\"sleep\",\"60\"]}");
        }
        if (!(Json.read(payload) instanceof Map<?, ?> json)) {
            throw new IllegalArgumentException("the payload is not a JSON object with \"argv\"");
        }
        for (Object key : json.keySet()) {
            if (!OWN_FIELDS.contains(key) && !RowSettings.FIELDS.contains(key)) {
                throw new IllegalArgumentException("unknown field \"" + PayloadFields.shown(String.valueOf(key))
                        + "\" in the payload (known: " + String.join(", ", OWN_FIELDS) + ", "
                        + String.join(", ", RowSettings.FIELDS) + ")");
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
                    default -> PayloadFields.string("env." + entry.getKey(), value);
                });
            }
        } else if (envJson != null) {
            throw new IllegalArgumentException("\"env\" must be an object of strings");
        }
        Optional<Path> dir = Optional.ofNullable(json.get("dir")).map(d -> Path.of(PayloadFields.string("dir", d)));
        RestartMode restart = json.get("restart") == null ? RestartMode.ALWAYS
                : RestartModes.parse(PayloadFields.string("restart", json.get("restart")));
        @SuppressWarnings("unchecked")
        RowSettings settings = RowSettings.fromJson((Map<String, Object>) json);
        return new CommandSpec(list.stream().map(String.class::cast).toList(), env, dir, restart, settings);
    }
}
