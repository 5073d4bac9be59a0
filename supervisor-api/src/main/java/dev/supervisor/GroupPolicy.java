package dev.supervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * How a group of keys is supervised: its {@link GroupStrategy} and its restart intensity, as in
 * Erlang/OTP: the group may be restarted at most {@code maxRestarts} times within any
 * {@code within}; the restart that would make more gives the whole group up instead (every member
 * stopped and left in {@link KeyState#GIVEN_UP}, {@link SupervisorListener#groupGivenUp} told)
 * until {@link Supervisor#reset} of any member.
 *
 * <p>A restart counts once per exit that would restart a member: for {@link GroupStrategy#ONE_FOR_ONE}
 * each restart of a member, for the others each restart of the group. Stops that were asked for
 * ({@link Supervisor#restart}, a changed row, a pause, a deletion, {@code stop(key)}) are not
 * restarts and do not count.
 *
 * <pre>{@code
 * GroupPolicy.oneForAll(3, Duration.ofMinutes(1))   // the 4th group restart within a minute gives up
 * }</pre>
 *
 * @param strategy what an exit of one member does to the others
 * @param maxRestarts the restarts allowed within {@code within}; 0 gives up at the first exit
 * @param within the intensity's period, positive
 */
public record GroupPolicy(GroupStrategy strategy, int maxRestarts, Duration within) {

    /** A group nobody configured: {@link GroupStrategy#ONE_FOR_ONE} without a limit, what keys without a group get. */
    public static final GroupPolicy UNLIMITED_ONE_FOR_ONE = new GroupPolicy(GroupStrategy.ONE_FOR_ONE, Integer.MAX_VALUE,
            Duration.ofSeconds(1));

    /** Checks the arguments, naming the one that is wrong. */
    public GroupPolicy {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(within, "within");
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must not be negative, was " + maxRestarts);
        }
        if (within.isZero() || within.isNegative()) {
            throw new IllegalArgumentException("within must be positive, was " + within);
        }
    }

    /** {@link GroupStrategy#ONE_FOR_ONE}: more than {@code maxRestarts} member restarts within {@code within} give the group up. */
    public static GroupPolicy oneForOne(int maxRestarts, Duration within) {
        return new GroupPolicy(GroupStrategy.ONE_FOR_ONE, maxRestarts, within);
    }

    /** {@link GroupStrategy#ONE_FOR_ALL}: more than {@code maxRestarts} group restarts within {@code within} give the group up. */
    public static GroupPolicy oneForAll(int maxRestarts, Duration within) {
        return new GroupPolicy(GroupStrategy.ONE_FOR_ALL, maxRestarts, within);
    }

    /** {@link GroupStrategy#REST_FOR_ONE}: more than {@code maxRestarts} group restarts within {@code within} give the group up. */
    public static GroupPolicy restForOne(int maxRestarts, Duration within) {
        return new GroupPolicy(GroupStrategy.REST_FOR_ONE, maxRestarts, within);
    }
}
