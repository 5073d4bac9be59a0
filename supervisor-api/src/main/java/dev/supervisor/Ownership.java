package dev.supervisor;

import java.util.OptionalLong;

/**
 * Which keys this node may run: the one seam between the supervisor and cluster mode. A
 * single-node supervisor uses {@link #local()}, which owns every key and writes nothing. A cluster
 * implementation (leases in a shared database) claims keys, tells the supervisor through
 * {@link Control} when it gained or lost one, and hands the process a fencing token.
 *
 * <p>Implementations must be thread-safe; {@link #tryAcquire} and {@link #release} are called on
 * the supervisor's hot paths and must not block.
 *
 * @param <K> the key type
 */
public interface Ownership<K> {

    /** The single-node default: every key is this node's, with epoch 0. */
    @SuppressWarnings("unchecked")
    static <K> Ownership<K> local() {
        return (Ownership<K>) LocalOwnership.INSTANCE;
    }

    /** Called once by {@code launch()}, before the first pass, with the supervisor's side of the seam. */
    default void open(Control<K> control) {
    }

    /**
     * May this node start a process for key now? Called before every start. Returns the
     * fencing token (epoch) of this node's claim, or empty when another node owns the key or it
     * is not claimed yet (the supervisor then leaves the key alone until {@link Control#acquired}).
     *
     * <p>Called while the supervisor holds the key's lock, right before it creates the process:
     * it must not block and must not call back into {@link Control}. An implementation that takes
     * a key away must make this method answer empty <em>before</em> it calls
     * {@link Control#lost}; then no process starts after {@code lost} has completed.
     */
    OptionalLong tryAcquire(K key);

    /**
     * Like {@link #tryAcquire(Object)}, for a key whose row is in a group ({@code membership}, as
     * the supervisor last read the row; null: in no group). The supervisor calls this one before
     * every start. An ownership that runs a group's members on one node answers empty when this
     * node may not run members of that group, even if it holds the key. Same contract as
     * {@link #tryAcquire(Object)}; the default calls it.
     */
    default OptionalLong tryAcquire(K key, GroupMembership membership) {
        return tryAcquire(key);
    }

    /**
     * This node forgot key because its row is gone: the claim can go. Not called for a key that
     * completed or gave up while its row exists: that key stays this node's, so that no other node
     * runs it again.
     */
    default void release(K key) {
    }

    /** Called once by {@code close()}, after every process ended: release all keys. */
    default void close() {
    }

    /**
     * The supervisor's side of the seam, implemented by the supervisor (not meant to be
     * implemented elsewhere). Thread-safe; methods return without waiting for processes.
     */
    interface Control<K> {

        /**
         * This node now owns key: start it if its row exists and no process runs. If its process
         * is still stopping because the key was {@linkplain #lost lost}, the key is started once
         * that process has ended (if this node still owns it then).
         */
        void acquired(K key);

        /**
         * This node lost key: stop its process (gracefully, then forced after the stop timeout)
         * and do not restart it here.
         *
         * @return completes once no process for key runs on this node
         */
        java.util.concurrent.CompletableFuture<Void> lost(K key);

        /**
         * Like {@link #lost(Object)}, but the process is interrupted after {@code forceAfter} at the
         * latest, when that is sooner than the supervisor's stop timeout (zero interrupts it at
         * once). For an ownership with a deadline of its own: a lease that may expire, after which
         * another node may start the key. Asking again can only bring the interrupt forward.
         *
         * @return completes once no process for key runs on this node
         */
        java.util.concurrent.CompletableFuture<Void> lost(K key, java.time.Duration forceAfter);
    }
}

/** The single-node ownership: everything is ours. */
enum LocalOwnership implements Ownership<Object> {
    INSTANCE;

    private static final OptionalLong EPOCH_ZERO = OptionalLong.of(0);

    @Override
    public OptionalLong tryAcquire(Object key) {
        return EPOCH_ZERO;
    }
}
