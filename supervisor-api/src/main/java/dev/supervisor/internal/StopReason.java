package dev.supervisor.internal;

import dev.supervisor.StopCause;
import java.util.Optional;

/**
 * Why a stop was asked for; it decides what happens after the process ends. A later, stronger
 * reason replaces a weaker one (declaration order: weakest first).
 */
enum StopReason {
    /** {@code stop(key)}: the key stays known and the next pass may start it again. */
    MANUAL,
    /** {@code restart(key)}: start again at once with the current row. */
    RESTART,
    /** The row's value changed: start again at once with the new value. */
    UPDATE,
    /** Another member of the key's group ended: the {@code GroupCoordinator} starts it again in group order, or gives it up. */
    GROUP,
    /** The row is paused: the key waits in PAUSED. */
    PAUSE,
    /**
     * The process deleted its own row ({@code ProcessContext.retire()}): forget the key and release
     * it when it ends, without reading the row again (unless it was seen meanwhile, see
     * {@code ProcessAttempt.recheck}).
     */
    RETIRED_ITSELF,
    /** The row is gone: forget the key and release it, then check whether the row came back. */
    RETIRE,
    /** Another node owns the key now: forget it here without releasing. */
    LOST,
    /** The supervisor is closing. */
    CLOSE;

    StopReason strongest(StopReason other) {
        return other == null || compareTo(other) >= 0 ? this : other;
    }

    /** True if a new attempt follows at once when the process ended. */
    boolean restarts() {
        return this == RESTART || this == UPDATE;
    }

    /**
     * Why a stop of this reason happens, for the INFO line that announces it; empty for the stops
     * that are logged otherwise or not worth a line (a manual stop, a self-retirement, a lost key, closing).
     */
    Optional<String> announcement() {
        return switch (this) {
            case RESTART -> Optional.of("a restart was asked for; it starts again at once");
            case UPDATE -> Optional.of("its row was updated; it starts again at once with the new value");
            case GROUP -> Optional.of("another member of its group ended; the group restarts it");
            case PAUSE -> Optional.of("its row was paused");
            case RETIRE -> Optional.of("its row was deleted");
            case MANUAL, RETIRED_ITSELF, LOST, CLOSE -> Optional.empty();
        };
    }

    /** What the exit tells listeners; empty for the stops that existed before causes were reported. */
    Optional<StopCause> cause() {
        return switch (this) {
            case RESTART -> Optional.of(StopCause.RESTART);
            case UPDATE -> Optional.of(StopCause.ROW_UPDATED);
            case PAUSE -> Optional.of(StopCause.PAUSED);
            case GROUP -> Optional.of(StopCause.GROUP);
            case MANUAL, RETIRED_ITSELF, RETIRE, LOST, CLOSE -> Optional.empty();
        };
    }
}
