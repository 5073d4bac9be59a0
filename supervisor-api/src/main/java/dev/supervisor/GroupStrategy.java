package dev.supervisor;

/**
 * What happens to the other members of a group when one member's process ends on its own (an
 * exit nobody asked for, which its {@link RestartPolicy} would restart). Named after Erlang/OTP's
 * supervisor strategies. See {@link GroupPolicy}.
 */
public enum GroupStrategy {
    /** Only the member that ended is restarted, after its own backoff: the behaviour of keys without a group. */
    ONE_FOR_ONE,
    /**
     * Every other member is stopped (in reverse group order), then all members are started again
     * in group order, each one RUNNING before the next starts.
     */
    ONE_FOR_ALL,
    /**
     * The members after the one that ended (in group order) are stopped, in reverse order; then
     * the one that ended and those after it are started again in group order, each one RUNNING
     * before the next starts. Members before it are left alone.
     */
    REST_FOR_ONE
}
