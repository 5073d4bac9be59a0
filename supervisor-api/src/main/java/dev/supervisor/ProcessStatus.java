package dev.supervisor;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of what the supervisor knows about one key. Cheap to obtain: the
 * supervisor publishes a new snapshot on every change and reads never lock.
 *
 * @param key the key
 * @param state what is happening now
 * @param attempt the number of the current or latest attempt (1 on the first start; 0 if none started yet)
 * @param restarts how many times the key was started again after its first start
 * @param startedAt when the current or latest attempt started
 * @param runningSince when the current attempt became RUNNING; empty unless state is RUNNING or STOPPING after running
 * @param nextAttemptAt when the next restart is due; present exactly in {@link KeyState#BACKOFF}
 * @param lastExit how the latest finished attempt ended
 * @param invalidReason why the key's row cannot be decoded (the {@link TableException}'s message);
 *     present exactly in {@link KeyState#INVALID}
 */
public record ProcessStatus<K>(
        K key,
        KeyState state,
        int attempt,
        int restarts,
        Optional<Instant> startedAt,
        Optional<Instant> runningSince,
        Optional<Instant> nextAttemptAt,
        Optional<ProcessExit> lastExit,
        Optional<String> invalidReason) {

    /** A status without an invalid reason (the constructor of earlier versions): any state but INVALID. */
    public ProcessStatus(K key, KeyState state, int attempt, int restarts, Optional<Instant> startedAt,
            Optional<Instant> runningSince, Optional<Instant> nextAttemptAt, Optional<ProcessExit> lastExit) {
        this(key, state, attempt, restarts, startedAt, runningSince, nextAttemptAt, lastExit, Optional.empty());
    }

    /** Checks the invariants. */
    public ProcessStatus {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(runningSince, "runningSince");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(lastExit, "lastExit");
        Objects.requireNonNull(invalidReason, "invalidReason");
        if ((state == KeyState.INVALID) != invalidReason.isPresent()) {
            throw new IllegalArgumentException("invalidReason must be present exactly in INVALID, state " + state);
        }
        if ((state == KeyState.BACKOFF) != nextAttemptAt.isPresent()) {
            throw new IllegalArgumentException("nextAttemptAt must be present exactly in BACKOFF, state " + state);
        }
        if (attempt < 0 || restarts < 0) {
            throw new IllegalArgumentException("attempt and restarts must be >= 0");
        }
    }

    /** How long the current attempt has been RUNNING at {@code now}; zero when it is not running. */
    public Duration uptime(Instant now) {
        if (state != KeyState.RUNNING) {
            return Duration.ZERO;
        }
        return runningSince.map(since -> Duration.between(since, now)).filter(d -> !d.isNegative()).orElse(Duration.ZERO);
    }

    /** The error of the latest exit, if it failed. */
    public Optional<Throwable> lastError() {
        return lastExit.flatMap(ProcessExit::error);
    }
}
