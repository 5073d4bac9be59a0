package dev.supervisor.cli.process;

import dev.supervisor.ProcessExit;
import dev.supervisor.ProcessStatus;
import dev.supervisor.SupervisorListener;
import dev.supervisor.jdbc.ProcessDetails;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OS process behind each key's latest attempt: its pid and start time while it runs, its
 * exit code once it ended. Runners record into it; the status table ({@link ProcessDetails}) and
 * the daemon's output read from it, matching the attempt number of the status they describe, so
 * a late event about an earlier attempt never shows a later attempt's pid.
 *
 * <p>As a listener it forgets retired keys. Thread-safe.
 */
public final class LiveProcesses implements ProcessDetails.Source<String>, SupervisorListener<String> {

    /** One attempt's process. */
    record Spawned(int attempt, long pid, Optional<Instant> startedAt, OptionalInt exitCode) {
        Spawned ended(int code) {
            return new Spawned(attempt, pid, startedAt, OptionalInt.of(code));
        }
    }

    private final ConcurrentHashMap<String, Spawned> byKey = new ConcurrentHashMap<>();
    /** Each key's latest health check result, for people. */
    private final ConcurrentHashMap<String, String> health = new ConcurrentHashMap<>();
    private volatile java.util.function.Consumer<String> healthChanged = key -> { };

    /** Calls listener with the key whenever its health result changes (to write it to the status table). */
    public void onHealthChange(java.util.function.Consumer<String> listener) {
        this.healthChanged = listener;
    }

    private volatile java.util.function.BiConsumer<String, dev.supervisor.cli.CommandSpec> onStart = (key, spec) -> { };

    /** Calls listener with each attempt's key and command as it starts. */
    public void onStart(java.util.function.BiConsumer<String, dev.supervisor.cli.CommandSpec> listener) {
        this.onStart = listener;
    }

    /** An attempt of key starts with spec. */
    void starting(String key, dev.supervisor.cli.CommandSpec spec) {
        onStart.accept(key, spec);
    }

    /** Records key's latest health result; tells the listener if it changed. */
    public void health(String key, String result) {
        String previous = health.put(key, result);
        if (!result.equals(previous)) {
            healthChanged.accept(key);
        }
    }

    /** Key's latest health result, if it has checks. */
    public Optional<String> health(String key) {
        return Optional.ofNullable(health.get(key));
    }

    /** Attempt {@code attempt} of key spawned process. */
    public void spawned(String key, int attempt, ProcessHandle process) {
        byKey.put(key, new Spawned(attempt, process.pid(), process.info().startInstant(), OptionalInt.empty()));
    }

    /** The process of that attempt exited with code. */
    void exited(String key, int attempt, int code) {
        byKey.computeIfPresent(key, (k, s) -> s.attempt() == attempt ? s.ended(code) : s);
    }

    /** The process of key's attempt, if it is the latest one recorded. */
    Optional<Spawned> find(String key, int attempt) {
        return Optional.ofNullable(byKey.get(key)).filter(s -> s.attempt() == attempt);
    }

    /** The pid of key's attempt while it has not exited. */
    public OptionalLong pid(String key, int attempt) {
        return find(key, attempt).filter(s -> s.exitCode().isEmpty()).map(s -> OptionalLong.of(s.pid())).orElse(OptionalLong.empty());
    }

    /** The exit code of how the status's latest attempt ended, if it ended with one. */
    public OptionalInt exitCode(String key, ProcessExit exit) {
        if (exit.error().orElse(null) instanceof CommandFailure failure && failure.exitCode().isPresent()) {
            return failure.exitCode();
        }
        OptionalInt recorded = find(key, exit.attempt()).map(Spawned::exitCode).orElse(OptionalInt.empty());
        if (recorded.isPresent()) {
            return recorded;
        }
        return exit.kind() == ProcessExit.Kind.SUCCEEDED ? OptionalInt.of(0) : OptionalInt.empty();
    }

    @Override
    public ProcessDetails of(ProcessStatus<String> status) {
        Optional<Spawned> current = status.state().hasProcess() ? find(status.key(), status.attempt()) : Optional.empty();
        OptionalInt code = status.lastExit().map(exit -> exitCode(status.key(), exit)).orElse(OptionalInt.empty());
        Optional<String> kind = status.lastExit().flatMap(exit -> exit.error()).filter(CommandFailure.class::isInstance)
                .map(CommandFailure.class::cast).flatMap(CommandFailure::kind);
        return new ProcessDetails(current.map(s -> OptionalLong.of(s.pid())).orElse(OptionalLong.empty()),
                current.flatMap(Spawned::startedAt), code, kind, health(status.key()));
    }

    @Override
    public void retired(ProcessStatus<String> last) {
        byKey.computeIfPresent(last.key(), (k, s) -> s.exitCode().isPresent() ? null : s);
        health.remove(last.key());
    }
}
