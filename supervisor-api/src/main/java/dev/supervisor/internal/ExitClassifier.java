package dev.supervisor.internal;

import dev.supervisor.ProcessExit;
import dev.supervisor.ProcessStartException;
import dev.supervisor.ProcessState;
import dev.supervisor.Runner;
import dev.supervisor.StopCause;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an attempt's end becomes a {@link ProcessExit} (its kind, error and stop cause), and the one
 * log line for it. Stateless; called by {@link Attempts} under the slot's lock.
 */
final class ExitClassifier {
    private static final Logger log = LoggerFactory.getLogger(Attempts.class);

    private ExitClassifier() {
    }

    /** The exit of attempt, ended at {@code now} with {@code error} (null if the runner returned). Caller holds the slot's lock. */
    static <K, P extends Runner> ProcessExit exitOf(ProcessAttempt<K, P> attempt, Throwable error, Instant now) {
        Duration ran = Duration.ZERO;
        KeySlot<K, P> slot = attempt.slot;
        if (slot.runningSince != null && now.isAfter(slot.runningSince)) {
            ran = Duration.between(slot.runningSince, now);
        }
        ProcessExit.Kind kind;
        Throwable cause = null;
        if (attempt.state == ProcessState.STARTING) {
            if (attempt.startFailure != null) {
                kind = ProcessExit.Kind.START_FAILED;
                cause = attempt.startFailure;
            } else if (attempt.stopReason != null) {
                kind = ProcessExit.Kind.CANCELLED;
            } else {
                kind = ProcessExit.Kind.START_FAILED;
                cause = error != null ? error : new ProcessStartException(slot.key,
                        "the runner for " + slot.key + " returned before calling ready()", null);
            }
        } else if (attempt.stopReason != null) {
            kind = ProcessExit.Kind.STOPPED;
            if (error != null) {
                log.debug("{} threw while stopping", slot.key, error);
            }
        } else if (error == null) {
            kind = ProcessExit.Kind.SUCCEEDED;
        } else {
            kind = ProcessExit.Kind.FAILED;
            cause = error;
        }
        Optional<StopCause> stopCause = (kind == ProcessExit.Kind.STOPPED || kind == ProcessExit.Kind.CANCELLED)
                && attempt.stopReason != null ? attempt.stopReason.cause() : Optional.empty();
        return new ProcessExit(kind, Optional.ofNullable(cause), attempt.number, now, ran, stopCause);
    }

    /**
     * One line per failure at WARN (the error is in the key's status too); the stack trace only at
     * DEBUG, since a crash-looping key would otherwise print one per restart.
     */
    static void logExit(String name, Object key, ProcessExit exit) {
        switch (exit.kind()) {
            case FAILED, START_FAILED -> {
                if (log.isDebugEnabled()) {
                    log.debug("[{}] {} {}", name, key, exit, exit.error().orElse(null));
                } else {
                    log.warn("[{}] {} {}", name, key, exit);
                }
            }
            default -> log.debug("[{}] {} {}", name, key, exit);
        }
    }

}
