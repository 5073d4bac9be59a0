package dev.supervisor.jdbc.internal.lease;

import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A node's name and its current incarnation's id ({@code name#random}), the {@code owner} of its
 * leases and the key of its row in {@code supervisor_nodes}. An incarnation that the other nodes
 * have declared dead (its row expired and was deleted) never comes back: the node starts a new
 * one with a new id, so that a lease of the dead one can never be mistaken for a live one.
 * Thread-safe.
 */
public final class NodeIdentity {

    private final String name;
    private volatile String id;

    public NodeIdentity(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.id = fresh(name);
    }

    /** The configured node name. */
    public String name() {
        return name;
    }

    /** The current incarnation's id. */
    public String id() {
        return id;
    }

    /** Starts a new incarnation and returns its id. */
    public String next() {
        id = fresh(name);
        return id;
    }

    private static String fresh(String name) {
        return name + "#" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }
}
