package dev.supervisor.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The times of recent restarts (or failures) within a sliding window: the count behind a key's
 * give-up and a group's restart intensity. An entry exactly {@code window} old still counts. Not
 * thread-safe: its owner's lock guards it.
 */
final class RestartWindow {
    private final ArrayDeque<Instant> times = new ArrayDeque<>(4);

    /** Records one at {@code at} and returns how many fell within {@code window} up to it. */
    int record(Instant at, Duration window) {
        times.addLast(at);
        Instant horizon = at.minus(window);
        while (!times.isEmpty() && times.peekFirst().isBefore(horizon)) {
            times.removeFirst();
        }
        return times.size();
    }

    /** How many are recorded (as of the latest {@link #record}). */
    int size() {
        return times.size();
    }
}
