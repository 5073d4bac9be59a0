package dev.supervisor.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A row's settings beyond its command: each is a documented field of the payload (see
 * docs/daemon.md), settable by SQL and by {@code add}'s options, and left out of the payload at
 * its default. Immutable; derive variants with the {@code with...} methods.
 *
 * @param memoryMax {@code "memoryMax"}: the attempt's memory limit in bytes, swap included (cgroup)
 * @param cpuMax {@code "cpuMax"}: the CPUs its processes may use together, e.g. 0.5
 * @param tasksMax {@code "tasksMax"}: the processes and threads it may have at once
 * @param ready {@code "ready"}: the readiness check gating RUNNING
 * @param health {@code "health"}: the liveness check restarting it when it fails
 * @param startRetries {@code "startRetries"}: failed starts in a row retried before GIVEN_UP (default 3)
 * @param startGrace {@code "startGrace"}: how long it must stay up to count as started (default 1 s)
 * @param giveUpAfter {@code "giveUpAfter"}: more failures than this within the window give up; 0 never
 * @param giveUpWindow {@code "giveUpWindow"}: that window (default 60 s)
 * @param successExitCodes {@code "successExitCodes"}: exit codes that are a success (default 0)
 * @param stopSignal {@code "stopSignal"}: the signal asking it to stop (default SIGTERM)
 * @param stopTimeout {@code "stopTimeout"}: time between the stop signal and SIGKILL (default: the daemon's)
 * @param user {@code "user"}: the user it runs as (the daemon must be root)
 * @param envFile {@code "envFile"}: a file of {@code KEY=VALUE} lines added to its environment at each start
 * @param stderrSeparate {@code "stderr": "separate"}: stderr to {@code NAME.err.log} instead of {@code NAME.log}
 * @param logSize {@code "logSize"}: the size at which its log rotates (default: the daemon's)
 * @param logFiles {@code "logFiles"}: rotated log files kept (default: the daemon's)
 */
public record RowSettings(OptionalLong memoryMax, OptionalDouble cpuMax, OptionalInt tasksMax, Optional<CheckSpec> ready,
        Optional<CheckSpec> health, int startRetries, Duration startGrace, int giveUpAfter, Duration giveUpWindow,
        List<Integer> successExitCodes, Optional<Signal> stopSignal, Optional<Duration> stopTimeout, Optional<String> user,
        Optional<Path> envFile, boolean stderrSeparate, OptionalLong logSize, OptionalInt logFiles) {

    /** The payload's fields read here. */
    static final List<String> FIELDS = List.of("memoryMax", "cpuMax", "tasksMax", "ready", "health", "startRetries",
            "startGrace", "giveUpAfter", "giveUpWindow", "successExitCodes", "stopSignal", "stopTimeout", "user", "envFile",
            "stderr", "logSize", "logFiles");

    /** Default failed starts in a row retried before giving up: 3, as supervisord's startretries. */
    public static final int DEFAULT_START_RETRIES = 3;
    /** Default time a command must stay up to count as started: 1 s. */
    public static final Duration DEFAULT_START_GRACE = Duration.ofSeconds(1);
    /** Default give-up window: 60 s. */
    public static final Duration DEFAULT_GIVE_UP_WINDOW = Duration.ofSeconds(60);
    /** The smallest memory limit: 1 MiB (a smaller one would kill any program as it starts). */
    public static final long MIN_MEMORY = 1L << 20;
    /** The longest stop timeout, start grace and give-up window: one hour (a day for the window). */
    public static final Duration MAX_STOP_TIMEOUT = Duration.ofHours(1);

    public static final RowSettings DEFAULT = new RowSettings(OptionalLong.empty(), OptionalDouble.empty(), OptionalInt.empty(),
            Optional.empty(), Optional.empty(), DEFAULT_START_RETRIES, DEFAULT_START_GRACE, 0, DEFAULT_GIVE_UP_WINDOW,
            List.of(0), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, OptionalLong.empty(),
            OptionalInt.empty());

    public RowSettings {
        Objects.requireNonNull(memoryMax, "memoryMax");
        Objects.requireNonNull(cpuMax, "cpuMax");
        Objects.requireNonNull(tasksMax, "tasksMax");
        Objects.requireNonNull(ready, "ready");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(startGrace, "startGrace");
        Objects.requireNonNull(giveUpWindow, "giveUpWindow");
        successExitCodes = List.copyOf(successExitCodes);
        Objects.requireNonNull(stopSignal, "stopSignal");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(envFile, "envFile");
        Objects.requireNonNull(logSize, "logSize");
        Objects.requireNonNull(logFiles, "logFiles");
    }

    /** Whether any limit is set. */
    public boolean hasLimits() {
        return memoryMax.isPresent() || cpuMax.isPresent() || tasksMax.isPresent();
    }

    /** The limits for people: {@code memory 512M, cpu 0.5, tasks 100}; empty if none. */
    public String describeLimits() {
        List<String> parts = new ArrayList<>();
        memoryMax.ifPresent(m -> parts.add("memory " + PayloadFields.sizeText(m)));
        cpuMax.ifPresent(c -> parts.add("cpu " + PayloadFields.numberValue(c).toPlainString()));
        tasksMax.ifPresent(t -> parts.add("tasks " + t));
        return String.join(", ", parts);
    }

    /**
     * Why a row with these settings was given up, for people: {@code 4 failed starts in a row
     * (start retries: 3)} when its last attempt failed to start, else {@code more than 5 failures
     * within 60 s}.
     */
    public String giveUpReason(boolean failedStart) {
        if (failedStart || giveUpAfter == 0) {
            return (startRetries + 1) + " failed start" + (startRetries == 0 ? "" : "s in a row") + " (start retries: "
                    + startRetries + ")";
        }
        return "more than " + giveUpAfter + " failure" + (giveUpAfter == 1 ? "" : "s") + " within "
                + dev.supervisor.cli.output.Durations.seconds(giveUpWindow);
    }

    /** Adds the fields that differ from the defaults to a payload's JSON object. */
    void writeTo(Map<String, Object> json) {
        memoryMax.ifPresent(m -> json.put("memoryMax", PayloadFields.sizeText(m)));
        cpuMax.ifPresent(c -> json.put("cpuMax", PayloadFields.numberValue(c)));
        tasksMax.ifPresent(t -> json.put("tasksMax", t));
        ready.ifPresent(r -> json.put("ready", r.toJson(true)));
        health.ifPresent(h -> json.put("health", h.toJson(false)));
        if (startRetries != DEFAULT_START_RETRIES) {
            json.put("startRetries", startRetries);
        }
        if (!startGrace.equals(DEFAULT_START_GRACE)) {
            json.put("startGrace", PayloadFields.secondsValue(startGrace));
        }
        if (giveUpAfter != 0) {
            json.put("giveUpAfter", giveUpAfter);
            json.put("giveUpWindow", PayloadFields.secondsValue(giveUpWindow));
        }
        if (!successExitCodes.equals(List.of(0))) {
            json.put("successExitCodes", successExitCodes);
        }
        stopSignal.ifPresent(s -> json.put("stopSignal", s.name()));
        stopTimeout.ifPresent(t -> json.put("stopTimeout", PayloadFields.secondsValue(t)));
        user.ifPresent(u -> json.put("user", u));
        envFile.ifPresent(f -> json.put("envFile", f.toString()));
        if (stderrSeparate) {
            json.put("stderr", "separate");
        }
        logSize.ifPresent(s -> json.put("logSize", PayloadFields.sizeText(s)));
        logFiles.ifPresent(n -> json.put("logFiles", n));
    }

    /**
     * The settings of a payload's JSON object (its other fields are ignored here).
     *
     * @throws IllegalArgumentException naming the first field that is wrong
     */
    static RowSettings fromJson(Map<String, Object> json) {
        RowSettings s = DEFAULT;
        for (String field : FIELDS) {
            Object value = json.get(field);
            if (value != null) {
                s = s.with(field, value);
            }
        }
        return s;
    }

    /**
     * These settings with one field of the payload set from its JSON value (a command-line
     * option gives its text, read the same way).
     *
     * @throws IllegalArgumentException naming the field if the value is not valid for it
     */
    public RowSettings with(String field, Object value) {
        RowSettings s = this;
        switch (field) {
            case "memoryMax" -> s = s.copy(b -> b.memoryMax = OptionalLong.of(PayloadFields.size(field, value, MIN_MEMORY)));
            case "cpuMax" -> s = s.copy(b -> b.cpuMax = OptionalDouble.of(PayloadFields.number(field, value, 0.01, 1024)));
            case "tasksMax" -> s = s.copy(b -> b.tasksMax = OptionalInt.of(PayloadFields.count(field, value, 1, 4_194_304)));
            case "ready" -> s = s.copy(b -> b.ready = Optional.of(CheckSpec.fromJson(field, value, true)));
            case "health" -> s = s.copy(b -> b.health = Optional.of(CheckSpec.fromJson(field, value, false)));
            case "startRetries" -> s = s.copy(b -> b.startRetries = PayloadFields.count(field, value, 0, 1000));
            case "startGrace" -> s = s.copy(b -> b.startGrace = PayloadFields.seconds(field, value, Duration.ZERO,
                    MAX_STOP_TIMEOUT));
            case "giveUpAfter" -> s = s.copy(b -> b.giveUpAfter = PayloadFields.count(field, value, 0, 100_000));
            case "giveUpWindow" -> s = s.copy(b -> b.giveUpWindow = PayloadFields.seconds(field, value, Duration.ofSeconds(1),
                    Duration.ofDays(1)));
            case "successExitCodes" -> s = s.copy(b -> b.successExitCodes = exitCodes(field, value));
            case "stopSignal" -> s = s.copy(b -> b.stopSignal = Optional.of(signal(field, value)));
            case "stopTimeout" -> s = s.copy(b -> b.stopTimeout = Optional.of(PayloadFields.seconds(field, value, Duration.ZERO,
                    MAX_STOP_TIMEOUT)));
            case "user" -> s = s.copy(b -> b.user = Optional.of(userName(field, value)));
            case "envFile" -> s = s.copy(b -> b.envFile = Optional.of(Path.of(nonBlank(field, value))));
            case "stderr" -> s = s.copy(b -> b.stderrSeparate = stderr(field, value));
            case "logSize" -> s = s.copy(b -> b.logSize = OptionalLong.of(PayloadFields.size(field, value, 1024)));
            case "logFiles" -> s = s.copy(b -> b.logFiles = OptionalInt.of(PayloadFields.count(field, value, 0, 100)));
            default -> throw new IllegalArgumentException("unknown field \"" + PayloadFields.shown(field) + "\"");
        }
        return s;
    }

    /** This with a readiness or liveness check replaced. */
    public RowSettings withReady(Optional<CheckSpec> check) {
        return copy(b -> b.ready = check);
    }

    public RowSettings withHealth(Optional<CheckSpec> check) {
        return copy(b -> b.health = check);
    }

    private static List<Integer> exitCodes(String field, Object value) {
        List<?> values = value instanceof List<?> list ? list
                : value instanceof String text ? List.of((Object[]) text.split("\\s*,\\s*")) : List.of(value);
        List<Integer> codes = new ArrayList<>();
        for (Object code : values) {
            codes.add(PayloadFields.count(field, code, 0, 255));
        }
        if (codes.isEmpty()) {
            throw new IllegalArgumentException("\"" + field + "\" must list at least one exit code, such as [0, 2]");
        }
        return codes.stream().distinct().sorted().toList();
    }

    private static Signal signal(String field, Object value) {
        try {
            return Signal.parse(value instanceof Number n ? n.toString() : PayloadFields.string(field, value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + field + "\": " + e.getMessage(), e);
        }
    }

    private static String userName(String field, Object value) {
        String name = PayloadFields.string(field, value);
        if (!name.matches("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}\\$?")) {
            throw new IllegalArgumentException("\"" + field + "\" must be a user name (letters, digits, '.', '_', '-'), was "
                    + PayloadFields.shown((Object) name));
        }
        return name;
    }

    private static String nonBlank(String field, Object value) {
        String text = PayloadFields.string(field, value);
        if (text.isBlank()) {
            throw new IllegalArgumentException("\"" + field + "\" must not be empty");
        }
        return text;
    }

    private static boolean stderr(String field, Object value) {
        return switch (PayloadFields.string(field, value)) {
            case "separate" -> true;
            case "merged" -> false;
            default -> throw new IllegalArgumentException("\"" + field + "\" must be \"merged\" or \"separate\", was "
                    + PayloadFields.shown(value));
        };
    }

    /** A mutable copy, for the {@code with...} methods. */
    private static final class Builder {
        OptionalLong memoryMax;
        OptionalDouble cpuMax;
        OptionalInt tasksMax;
        Optional<CheckSpec> ready;
        Optional<CheckSpec> health;
        int startRetries;
        Duration startGrace;
        int giveUpAfter;
        Duration giveUpWindow;
        List<Integer> successExitCodes;
        Optional<Signal> stopSignal;
        Optional<Duration> stopTimeout;
        Optional<String> user;
        Optional<Path> envFile;
        boolean stderrSeparate;
        OptionalLong logSize;
        OptionalInt logFiles;
    }

    private RowSettings copy(java.util.function.Consumer<Builder> change) {
        Builder b = new Builder();
        b.memoryMax = memoryMax;
        b.cpuMax = cpuMax;
        b.tasksMax = tasksMax;
        b.ready = ready;
        b.health = health;
        b.startRetries = startRetries;
        b.startGrace = startGrace;
        b.giveUpAfter = giveUpAfter;
        b.giveUpWindow = giveUpWindow;
        b.successExitCodes = successExitCodes;
        b.stopSignal = stopSignal;
        b.stopTimeout = stopTimeout;
        b.user = user;
        b.envFile = envFile;
        b.stderrSeparate = stderrSeparate;
        b.logSize = logSize;
        b.logFiles = logFiles;
        change.accept(b);
        return new RowSettings(b.memoryMax, b.cpuMax, b.tasksMax, b.ready, b.health, b.startRetries, b.startGrace,
                b.giveUpAfter, b.giveUpWindow, b.successExitCodes, b.stopSignal, b.stopTimeout, b.user, b.envFile,
                b.stderrSeparate, b.logSize, b.logFiles);
    }
}
