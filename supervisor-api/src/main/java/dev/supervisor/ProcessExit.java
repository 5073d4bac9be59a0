package dev.supervisor;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How one attempt ended. Immutable.
 *
 * @param kind what happened
 * @param error the exception the runner threw (or the reason a start failed); present exactly for
 *     {@link Kind#FAILED} and {@link Kind#START_FAILED}
 * @param attempt the attempt number that ended
 * @param at when it ended, on the supervisor's clock
 * @param ran how long it was RUNNING (zero if it never got there)
 * @param stopCause why the supervisor stopped it, when it restarts or pauses the key (see
 *     {@link StopCause}); only for {@link Kind#STOPPED} and {@link Kind#CANCELLED}; empty otherwise
 */
public record ProcessExit(Kind kind, Optional<Throwable> error, int attempt, Instant at, Duration ran,
        Optional<StopCause> stopCause) {

    /** The ways an attempt can end. */
    public enum Kind {
        /** The runner returned on its own after {@code ready()}, with no stop asked for. */
        SUCCEEDED,
        /** The runner threw after {@code ready()}, with no stop asked for. */
        FAILED,
        /** The runner returned or threw before {@code ready()}, or the start timeout passed. */
        START_FAILED,
        /** A graceful stop was asked for and the runner ended (within the stop timeout, or when interrupted after it). */
        STOPPED,
        /** The process was stopped while still starting; it never became RUNNING. */
        CANCELLED;

        /** True for exits that count as failures for backoff and give-up: {@code FAILED}, {@code START_FAILED}. */
        public boolean isFailure() {
            return this == FAILED || this == START_FAILED;
        }
    }

    /** An exit without a stop cause (the constructor of earlier versions). */
    public ProcessExit(Kind kind, Optional<Throwable> error, int attempt, Instant at, Duration ran) {
        this(kind, error, attempt, at, ran, Optional.empty());
    }

    /** Checks the invariants: an error is present exactly for failures; a stop cause only for stops. */
    public ProcessExit {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(stopCause, "stopCause");
        if (stopCause.isPresent() && kind != Kind.STOPPED && kind != Kind.CANCELLED) {
            throw new IllegalArgumentException("an exit of kind " + kind + " has no stop cause");
        }
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(ran, "ran");
        if (kind.isFailure() != error.isPresent()) {
            throw new IllegalArgumentException("an exit of kind " + kind + (error.isPresent() ? " has no error" : " needs its error"));
        }
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
    }

    @Override
    public String toString() {
        return "attempt " + attempt + " " + kind + stopCause.map(c -> " (" + c + ")").orElse("") + error.map(e -> ": " + e).orElse("") + " after " + ran;
    }
}
