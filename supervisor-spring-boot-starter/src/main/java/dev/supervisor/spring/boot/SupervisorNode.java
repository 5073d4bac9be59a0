package dev.supervisor.spring.boot;

import java.lang.management.ManagementFactory;
import java.util.Objects;

/**
 * The name of the node this application is: {@code supervisor.node}, by default {@code pid@host}.
 * The status table's {@code node} column, the cluster's leases, the actuator endpoint and the
 * status page all name the node so.
 *
 * @param name the node's name
 */
public record SupervisorNode(String name) {

    /** Checks the name: 1 to 255 characters, not blank (what the status and lease tables hold). */
    public SupervisorNode {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > 255) {
            throw new IllegalArgumentException("supervisor.node must be 1 to 255 characters and not blank, was '" + name + "'");
        }
    }

    /** The node named {@code name}, or {@code pid@host} when name is null. */
    static SupervisorNode named(String name) {
        return new SupervisorNode(name != null ? name : ManagementFactory.getRuntimeMXBean().getName());
    }
}
