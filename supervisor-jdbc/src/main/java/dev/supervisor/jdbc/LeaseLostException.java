package dev.supervisor.jdbc;

import dev.supervisor.SupervisorException;

/**
 * A fenced write was refused: the key's lease no longer has the epoch the worker was started
 * with, or it expired. Another node may be running the key; the worker should stop writing
 * (its supervisor stops it soon, if it has not already).
 */
public final class LeaseLostException extends SupervisorException {

    private final String key;
    private final long epoch;

    /** The lease of key with epoch is no longer current. */
    public LeaseLostException(String key, long epoch) {
        super("the lease of key " + key + " with epoch " + epoch + " is no longer current: another node may run the key");
        this.key = key;
        this.epoch = epoch;
    }

    /** The key whose lease was lost. */
    public String key() {
        return key;
    }

    /** The epoch that is no longer current. */
    public long epoch() {
        return epoch;
    }
}
