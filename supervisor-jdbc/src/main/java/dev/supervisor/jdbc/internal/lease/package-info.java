/**
 * Cluster mode's leases (internal, no compatibility guarantees): the node registry and heartbeat,
 * claim rounds and fair share, group leases, the held set with its safety deadline, and the loop
 * that runs them.
 */
package dev.supervisor.jdbc.internal.lease;
