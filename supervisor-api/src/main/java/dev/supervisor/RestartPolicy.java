package dev.supervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * How and when a process that ended on its own is started again. Immutable; derive variants with
 * the {@code with...} methods:
 *
 * <pre>{@code
 * RestartPolicy policy = RestartPolicy.DEFAULT
 *     .withBackoff(Duration.ofSeconds(1), Duration.ofMinutes(2))
 *     .withGiveUp(5, Duration.ofMinutes(1));   // 5 failures within a minute: give up
 * }</pre>
 *
 * <p><b>Backoff.</b> The n-th consecutive restart waits
 * {@code min(maxBackoff, initialBackoff * multiplier^(n-1))}, then multiplied by a random factor
 * in {@code [1 - jitter, 1 + jitter]}. A process that stayed RUNNING for at least
 * {@code resetAfter} before it ended starts the sequence again at {@code initialBackoff}.
 * Stops asked for ({@code stop(key)}, a deleted row, closing) are never restarted by the policy.
 *
 * <p><b>Give-up.</b> With {@code giveUpFailures > 0}, the failure (runner threw, or failed to
 * start) that makes more than {@code giveUpFailures} failures within {@code giveUpWindow} puts
 * the key in {@link KeyState#GIVEN_UP}, until its row is deleted and inserted again or
 * {@code Supervisor.reset(key)} is called. Off by default: like Kubernetes, the supervisor never
 * gives up unless told to.
 *
 * <p><b>Startup budget.</b> With {@code startupFailures > 0}, a failure within
 * {@code startupGrace} of its attempt's start is a startup failure, and {@code startupFailures}
 * of them in a row put the key in {@link KeyState#GIVEN_UP} (devrig's "3 failures within 2 s":
 * {@code withStartupBudget(3, Duration.ofSeconds(2))}): a process that cannot even come up is
 * given up on quickly, while one that crashes after running a while keeps the normal give-up. Any
 * other exit that the policy decides on (a failure after the grace, a clean exit) starts the count
 * again. Off by default.
 *
 * @param mode which exits are restarted; default {@link RestartMode#ALWAYS}
 * @param initialBackoff the first restart's delay; default {@link #DEFAULT_INITIAL_BACKOFF}
 * @param maxBackoff the cap on the delay before jitter; default {@link #DEFAULT_MAX_BACKOFF}
 * @param multiplier growth factor per consecutive restart, at least 1; default {@link #DEFAULT_MULTIPLIER}
 * @param jitter half-width of the random factor, in [0, 1); default {@link #DEFAULT_JITTER}
 * @param resetAfter a run at least this long resets the backoff; default {@link #DEFAULT_RESET_AFTER}
 * @param giveUpFailures more failures than this within the window give up; 0 never gives up (the default)
 * @param giveUpWindow the give-up window; ignored when {@code giveUpFailures} is 0
 * @param startupFailures this many startup failures in a row give up; 0 has no startup budget (the default)
 * @param startupGrace how long after its start a failure counts as a startup failure; ignored when
 *     {@code startupFailures} is 0
 */
public record RestartPolicy(
        RestartMode mode,
        Duration initialBackoff,
        Duration maxBackoff,
        double multiplier,
        double jitter,
        Duration resetAfter,
        int giveUpFailures,
        Duration giveUpWindow,
        int startupFailures,
        Duration startupGrace) {

    /** Default first restart delay: 500 ms. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    /** Default cap on the restart delay: 30 s. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    /** Default backoff growth factor: 2. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /** Default jitter: the delay is multiplied by a random factor in [0.8, 1.2]. */
    public static final double DEFAULT_JITTER = 0.2;
    /** Default stable run that resets the backoff: 60 s. */
    public static final Duration DEFAULT_RESET_AFTER = Duration.ofSeconds(60);

    /** {@code ALWAYS}, 500 ms doubling to 30 s, 20 % jitter, reset after 60 s, never gives up. */
    public static final RestartPolicy DEFAULT = new RestartPolicy(RestartMode.ALWAYS, DEFAULT_INITIAL_BACKOFF,
            DEFAULT_MAX_BACKOFF, DEFAULT_MULTIPLIER, DEFAULT_JITTER, DEFAULT_RESET_AFTER, 0, Duration.ZERO, 0, Duration.ZERO);

    /** A policy without a startup budget (the constructor of earlier versions). */
    public RestartPolicy(RestartMode mode, Duration initialBackoff, Duration maxBackoff, double multiplier, double jitter,
            Duration resetAfter, int giveUpFailures, Duration giveUpWindow) {
        this(mode, initialBackoff, maxBackoff, multiplier, jitter, resetAfter, giveUpFailures, giveUpWindow, 0, Duration.ZERO);
    }

    /** Validates every component; messages name the option and the value. */
    public RestartPolicy {
        Objects.requireNonNull(mode, "mode");
        requirePositive("initialBackoff", initialBackoff);
        requirePositive("maxBackoff", maxBackoff);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is below initialBackoff " + initialBackoff);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1, was " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter < 1.0)) {
            throw new IllegalArgumentException("jitter must be in [0, 1), was " + jitter);
        }
        Objects.requireNonNull(resetAfter, "resetAfter");
        if (resetAfter.isNegative()) {
            throw new IllegalArgumentException("resetAfter must not be negative, was " + resetAfter);
        }
        if (giveUpFailures < 0) {
            throw new IllegalArgumentException("giveUpFailures must be >= 0, was " + giveUpFailures);
        }
        Objects.requireNonNull(giveUpWindow, "giveUpWindow");
        if (giveUpFailures > 0 && (giveUpWindow.isZero() || giveUpWindow.isNegative())) {
            throw new IllegalArgumentException("giveUpWindow must be positive, was " + giveUpWindow);
        }
        if (startupFailures < 0) {
            throw new IllegalArgumentException("startupFailures must be >= 0, was " + startupFailures);
        }
        Objects.requireNonNull(startupGrace, "startupGrace");
        if (startupFailures > 0 && (startupGrace.isZero() || startupGrace.isNegative())) {
            throw new IllegalArgumentException("startupGrace must be positive, was " + startupGrace);
        }
    }

    /** The default policy with another mode. */
    public static RestartPolicy of(RestartMode mode) {
        return DEFAULT.withMode(mode);
    }

    /** This policy with another mode. */
    public RestartPolicy withMode(RestartMode mode) {
        return new RestartPolicy(mode, initialBackoff, maxBackoff, multiplier, jitter, resetAfter, giveUpFailures, giveUpWindow,
                startupFailures, startupGrace);
    }

    /** This policy with another initial delay and cap. */
    public RestartPolicy withBackoff(Duration initial, Duration max) {
        return new RestartPolicy(mode, initial, max, multiplier, jitter, resetAfter, giveUpFailures, giveUpWindow,
                startupFailures, startupGrace);
    }

    /** This policy with another growth factor. */
    public RestartPolicy withMultiplier(double multiplier) {
        return new RestartPolicy(mode, initialBackoff, maxBackoff, multiplier, jitter, resetAfter, giveUpFailures, giveUpWindow,
                startupFailures, startupGrace);
    }

    /** This policy with another jitter; 0 makes the schedule exact. */
    public RestartPolicy withJitter(double jitter) {
        return new RestartPolicy(mode, initialBackoff, maxBackoff, multiplier, jitter, resetAfter, giveUpFailures, giveUpWindow,
                startupFailures, startupGrace);
    }

    /** This policy with another stable-run duration for the backoff reset. */
    public RestartPolicy withResetAfter(Duration stableRun) {
        return new RestartPolicy(mode, initialBackoff, maxBackoff, multiplier, jitter, stableRun, giveUpFailures, giveUpWindow,
                startupFailures, startupGrace);
    }

    /** This policy, giving up after more than {@code failures} failures within {@code window}. */
    public RestartPolicy withGiveUp(int failures, Duration window) {
        if (failures < 1) {
            throw new IllegalArgumentException("give-up failures must be >= 1, was " + failures + " (use withoutGiveUp())");
        }
        return new RestartPolicy(mode, initialBackoff, maxBackoff, multiplier, jitter, resetAfter, failures, window,
                startupFailures, startupGrace);
    }

    /** This policy, never giving up. */
    public RestartPolicy withoutGiveUp() {
        return new RestartPolicy(mode, initialBackoff, maxBackoff, multiplier, jitter, resetAfter, 0, Duration.ZERO,
                startupFailures, startupGrace);
    }

    /**
     * This policy with a startup budget: {@code failures} failures in a row, each within {@code grace}
     * of its start, give up (devrig: 3 within 2 s).
     */
    public RestartPolicy withStartupBudget(int failures, Duration grace) {
        if (failures < 1) {
            throw new IllegalArgumentException("startup failures must be >= 1, was " + failures + " (use withoutStartupBudget())");
        }
        return new RestartPolicy(mode, initialBackoff, maxBackoff, multiplier, jitter, resetAfter, giveUpFailures, giveUpWindow,
                failures, grace);
    }

    /** This policy without a startup budget. */
    public RestartPolicy withoutStartupBudget() {
        return new RestartPolicy(mode, initialBackoff, maxBackoff, multiplier, jitter, resetAfter, giveUpFailures, giveUpWindow,
                0, Duration.ZERO);
    }

    /** Whether an exit of this kind, with no stop asked for, is followed by a restart under this policy. */
    public boolean restarts(ProcessExit.Kind kind) {
        return switch (mode) {
            case ALWAYS -> true;
            case ON_FAILURE -> kind.isFailure();
            case NEVER -> false;
        };
    }

    /**
     * The delay before the {@code n}-th consecutive restart (n >= 1), given a uniform random
     * number {@code random} in [0, 1) for the jitter.
     */
    public Duration delay(int n, double random) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, was " + n);
        }
        double base = initialBackoff.toNanos() * Math.pow(multiplier, n - 1);
        double capped = Math.min(base, maxBackoff.toNanos());
        double factor = 1.0 + jitter * (2.0 * random - 1.0);
        return Duration.ofNanos(Math.round(capped * factor));
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
