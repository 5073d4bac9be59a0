package dev.supervisor.internal;

/**
 * Why a stop was asked for; it decides what happens after the process ends. A later, stronger
 * reason replaces a weaker one (declaration order: weakest first).
 */
enum StopReason {
    /** {@code stop(key)}: the key stays known and the next pass may start it again. */
    MANUAL,
    /** The row is gone: forget the key and release it. */
    RETIRE,
    /** Another node owns the key now: forget it here without releasing. */
    LOST,
    /** The supervisor is closing. */
    CLOSE;

    StopReason strongest(StopReason other) {
        return other == null || compareTo(other) >= 0 ? this : other;
    }
}
