package dev.supervisor.tests.cluster;

import dev.supervisor.Supervisor;
import dev.supervisor.jdbc.LeaseOwnership;
import java.time.Duration;

/**
 * The lease settings of a test cluster, short so tests are quick: a lease lasts {@code ttl}, is
 * renewed every {@code renew}, and a node that cannot renew stops its processes {@code margin}
 * before its leases could expire. {@code stopTimeout} is each supervisor's graceful stop.
 */
record Timing(Duration ttl, Duration renew, Duration margin, Duration stopTimeout) {

    /** ttl 4 s, renew every 500 ms, margin 2 s (processes stop 2 s after the last renewal was sent), stop timeout 1 s. */
    static final Timing QUICK = new Timing(Duration.ofSeconds(4), Duration.ofMillis(500), Duration.ofSeconds(2),
            Duration.ofSeconds(1));

    /** The library's defaults: ttl 9 s, renew every 1 s, margin 2 s; the supervisor's default stop timeout of 15 s. */
    static final Timing DEFAULTS = new Timing(LeaseOwnership.DEFAULT_TTL, LeaseOwnership.DEFAULT_RENEW_INTERVAL,
            LeaseOwnership.DEFAULT_SAFETY_MARGIN, Supervisor.DEFAULT_STOP_TIMEOUT);

    /** {@link #QUICK}, or {@link #DEFAULTS} with {@code -Dsupervisor.cluster.timing=defaults} (to measure the defaults' failover). */
    static Timing chosen() {
        return "defaults".equals(System.getProperty("supervisor.cluster.timing")) ? DEFAULTS : QUICK;
    }

    Timing withTtl(Duration longer) {
        return new Timing(longer, renew, margin, stopTimeout);
    }

    String[] asArguments() {
        return new String[] {Long.toString(ttl.toMillis()), Long.toString(renew.toMillis()), Long.toString(margin.toMillis()),
                Long.toString(stopTimeout.toMillis())};
    }

    static Timing fromArguments(String[] args, int offset) {
        return new Timing(Duration.ofMillis(Long.parseLong(args[offset])), Duration.ofMillis(Long.parseLong(args[offset + 1])),
                Duration.ofMillis(Long.parseLong(args[offset + 2])), Duration.ofMillis(Long.parseLong(args[offset + 3])));
    }
}
