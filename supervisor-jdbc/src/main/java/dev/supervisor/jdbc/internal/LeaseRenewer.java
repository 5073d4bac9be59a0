package dev.supervisor.jdbc.internal;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One renewal: in one transaction, the node's heartbeat and one statement that extends all of
 * its leases, then the answer handed to {@link HeldLeases}. The safety timer is armed before the
 * transaction begins, so it measures from before the database took its {@code now()}. Runs on
 * the lease loop's thread only.
 */
public final class LeaseRenewer {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseRenewer.class);

    private final String name;
    private final Jdbi jdbi;
    private final LeaseTable leases;
    private final NodeRegistry nodes;
    private final HeldLeases<?> held;
    private boolean failing;

    public LeaseRenewer(String name, Jdbi jdbi, LeaseTable leases, NodeRegistry nodes, HeldLeases<?> held) {
        this.name = Objects.requireNonNull(name, "name");
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.leases = Objects.requireNonNull(leases, "leases");
        this.nodes = Objects.requireNonNull(nodes, "nodes");
        this.held = Objects.requireNonNull(held, "held");
    }

    /** Renews every lease of this node; false if the database could not be reached or failed. */
    public boolean renewOnce() {
        CompletableFuture<Void> timer = held.arm();
        Map<String, Long> current;
        try {
            current = jdbi.inTransaction(handle -> {
                nodes.heartbeat(handle);
                return leases.renew(handle);
            });
        } catch (RuntimeException e) {
            held.failed(timer);
            if (!failing) {
                failing = true;
                LOG.warn("[{}] Cannot renew {} lease(s); retrying. Processes keep running until the safety deadline: {}",
                        name, held.size(), e.getMessage());
            } else {
                LOG.debug("[{}] Renewal failed again: {}", name, e.getMessage());
            }
            return false;
        }
        if (failing) {
            failing = false;
            LOG.info("[{}] Renewals work again: the database returned {} lease(s) of this node", name, current.size());
        }
        held.renewed(timer, current);
        return true;
    }
}
