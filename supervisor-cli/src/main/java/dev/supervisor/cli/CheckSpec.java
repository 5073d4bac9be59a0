package dev.supervisor.cli;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One health check of a row: a readiness check ({@code "ready"}: the command is STARTING until it
 * passes) or a liveness check ({@code "health"}: after {@code failures} failures in a row the
 * command is restarted, its exit kind {@code unhealthy}). Immutable.
 *
 * <pre>
 * "ready":  {"tcp": "127.0.0.1:8080", "timeout": 60}            passes once a connection is accepted
 * "ready":  {"http": "http://127.0.0.1:8080/ready"}             passes on a 2xx or 3xx answer
 * "ready":  {"cmd": "pg_isready -q"}                            passes when the command (sh -c) exits 0
 * "ready":  {"notify": true}                                    passes when the command sends READY=1 to $NOTIFY_SOCKET
 * "health": {"http": "http://127.0.0.1:8080/health", "interval": 10, "timeout": 5, "failures": 3}
 * </pre>
 *
 * @param kind how it checks
 * @param target the address ({@code host:port}), URL or shell command; empty for {@link Kind#NOTIFY}
 * @param timeout a readiness check: how long the command may take to become ready (the start
 *     fails then); a liveness check: how long one probe may take
 * @param interval time between two probes
 * @param failures a liveness check: failed probes in a row before the command is restarted
 */
public record CheckSpec(Kind kind, String target, Duration timeout, Duration interval, int failures) {

    /** How a check probes. */
    public enum Kind {
        /** A TCP connection to {@code host:port} is accepted. */
        TCP,
        /** An HTTP GET answers 2xx or 3xx. */
        HTTP,
        /** A shell command ({@code sh -c}) exits 0. */
        CMD,
        /** The command writes {@code READY=1} to the datagram socket in {@code $NOTIFY_SOCKET} (systemd's sd_notify). */
        NOTIFY;

        String field() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Default time a command may take to become ready: 60 s. */
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);
    /** Time between two readiness probes: 0.5 s. */
    public static final Duration READY_INTERVAL = Duration.ofMillis(500);
    /** Default time between two liveness probes: 10 s. */
    public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(10);
    /** Default time one liveness probe may take: 5 s. */
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(5);
    /** Default failed liveness probes in a row before a restart: 3. */
    public static final int DEFAULT_HEALTH_FAILURES = 3;

    public CheckSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(interval, "interval");
    }

    /** A readiness check with the default timeout. */
    public static CheckSpec ready(Kind kind, String target) {
        return new CheckSpec(kind, checkTarget("ready." + kind.field(), kind, target), DEFAULT_READY_TIMEOUT, READY_INTERVAL, 1);
    }

    /** A liveness check with the default interval, timeout and failures. */
    public static CheckSpec health(Kind kind, String target) {
        return new CheckSpec(kind, checkTarget("health." + kind.field(), kind, target), DEFAULT_HEALTH_TIMEOUT,
                DEFAULT_HEALTH_INTERVAL, DEFAULT_HEALTH_FAILURES);
    }

    public CheckSpec withTimeout(Duration d) {
        return new CheckSpec(kind, target, d, interval, failures);
    }

    public CheckSpec withInterval(Duration d) {
        return new CheckSpec(kind, target, timeout, d, failures);
    }

    public CheckSpec withFailures(int n) {
        return new CheckSpec(kind, target, timeout, interval, n);
    }

    /** For people: {@code tcp 127.0.0.1:8080}, {@code http http://...}, {@code cmd 'pg_isready'}, {@code notify}. */
    public String describe() {
        return switch (kind) {
            case TCP -> "tcp " + target;
            case HTTP -> "http " + PayloadFields.shown(target);
            case CMD -> "cmd '" + PayloadFields.shown(target) + "'";
            case NOTIFY -> "notify (READY=1)";
        };
    }

    /** The host and port of a {@link Kind#TCP} check. */
    public String host() {
        return target.substring(0, target.lastIndexOf(':'));
    }

    public int port() {
        return Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
    }

    /** The JSON object of a readiness check ({@code readiness}) or a liveness check. */
    Map<String, Object> toJson(boolean readiness) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(kind.field(), kind == Kind.NOTIFY ? Boolean.TRUE : target);
        if (readiness) {
            if (!timeout.equals(DEFAULT_READY_TIMEOUT)) {
                json.put("timeout", PayloadFields.secondsValue(timeout));
            }
        } else {
            if (!interval.equals(DEFAULT_HEALTH_INTERVAL)) {
                json.put("interval", PayloadFields.secondsValue(interval));
            }
            if (!timeout.equals(DEFAULT_HEALTH_TIMEOUT)) {
                json.put("timeout", PayloadFields.secondsValue(timeout));
            }
            if (failures != DEFAULT_HEALTH_FAILURES) {
                json.put("failures", failures);
            }
        }
        return json;
    }

    /**
     * The check a payload's {@code "ready"} ({@code readiness}) or {@code "health"} object describes.
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    static CheckSpec fromJson(String field, Object value, boolean readiness) {
        Map<String, Object> json = PayloadFields.object(field, value);
        List<String> kinds = readiness ? List.of("tcp", "http", "cmd", "notify") : List.of("tcp", "http", "cmd");
        List<String> options = readiness ? List.of("timeout") : List.of("interval", "timeout", "failures");
        CheckSpec check = null;
        for (Map.Entry<String, Object> entry : json.entrySet()) {
            String key = entry.getKey();
            if (kinds.contains(key)) {
                if (check != null) {
                    throw new IllegalArgumentException("\"" + field + "\" must have one of " + String.join(", ", kinds)
                            + ", not several");
                }
                Kind kind = Kind.valueOf(key.toUpperCase(java.util.Locale.ROOT));
                String target;
                if (kind == Kind.NOTIFY) {
                    if (!PayloadFields.bool(field + ".notify", entry.getValue())) {
                        throw new IllegalArgumentException("\"" + field + ".notify\" must be true (or left out)");
                    }
                    target = "";
                } else if (kind == Kind.TCP && entry.getValue() instanceof Number port) {
                    target = String.valueOf(port);
                } else {
                    target = PayloadFields.string(field + "." + key, entry.getValue());
                }
                check = readiness ? ready(kind, target) : health(kind, target);
            } else if (!options.contains(key)) {
                throw new IllegalArgumentException("unknown field \"" + field + "." + PayloadFields.shown(key) + "\" (known: "
                        + String.join(", ", kinds) + ", " + String.join(", ", options) + ")");
            }
        }
        if (check == null) {
            throw new IllegalArgumentException("\"" + field + "\" must have one of " + String.join(", ", kinds)
                    + ", such as {\"" + kinds.get(0) + "\": \"127.0.0.1:8080\"}");
        }
        if (json.containsKey("timeout")) {
            check = check.withTimeout(PayloadFields.seconds(field + ".timeout", json.get("timeout"), Duration.ofMillis(100),
                    Duration.ofHours(1)));
        }
        if (json.containsKey("interval")) {
            check = check.withInterval(PayloadFields.seconds(field + ".interval", json.get("interval"), Duration.ofSeconds(1),
                    Duration.ofHours(1)));
        }
        if (json.containsKey("failures")) {
            check = check.withFailures(PayloadFields.count(field + ".failures", json.get("failures"), 1, 100));
        }
        return check;
    }

    /**
     * The target checked for its kind: a TCP address {@code PORT} or {@code HOST:PORT} (host
     * 127.0.0.1 by default), an http(s) URL, a non-blank command.
     */
    static String checkTarget(String field, Kind kind, String target) {
        switch (kind) {
            case TCP -> {
                String address = target.strip().matches("\\d+") ? "127.0.0.1:" + target.strip() : target.strip();
                int colon = address.lastIndexOf(':');
                String port = colon < 0 ? "" : address.substring(colon + 1);
                if (colon < 1 || !port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                    throw new IllegalArgumentException("\"" + field + "\" must be a port (1..65535) or HOST:PORT, was "
                            + PayloadFields.shown((Object) target));
                }
                return address;
            }
            case HTTP -> {
                try {
                    URI uri = URI.create(target.strip());
                    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                        throw new IllegalArgumentException("not http");
                    }
                    return uri.toString();
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("\"" + field + "\" must be an http:// or https:// URL, was "
                            + PayloadFields.shown((Object) target));
                }
            }
            case CMD -> {
                if (target.isBlank()) {
                    throw new IllegalArgumentException("\"" + field + "\" must be a shell command, such as \"pg_isready -q\"");
                }
                return target;
            }
            default -> {
                return "";
            }
        }
    }
}
