package dev.supervisor.jdbc.internal.lease;

import dev.supervisor.Clock;
import dev.supervisor.Ownership;
import dev.supervisor.jdbc.KeyCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one node believes it holds: the leases it may run (key to epoch), the ones it is giving
 * up, and the safety deadline that says whether it may run any of them at all.
 *
 * <p><b>The safety deadline.</b> Before a heartbeat is sent (the one statement that keeps the
 * node's incarnation, and with it all of its leases, valid), the caller {@linkplain #arm() arms}
 * a timer of {@code ttl - safetyMargin} on the node's monotonic clock. The database sets the
 * incarnation's {@code expires_at = now() + ttl} no earlier than the statement was sent, so no
 * other node can declare it dead and claim its keys before the timer ends plus the margin. When
 * the heartbeat succeeds, that timer becomes the deadline (unless it has already ended: a late
 * answer vouches for nothing). When the deadline passes without a newer confirmation, every held
 * key is {@linkplain Ownership.Control#lost(Object, Duration) lost} with {@code forceAfter} of
 * half the margin, so the processes end before the incarnation can expire, and {@link #epoch}
 * answers empty until a timely heartbeat confirms it again (which then calls {@code acquired}
 * for each). A heartbeat that finds its incarnation dead ends it here for good
 * ({@link #incarnationEnded}). Node clocks are never compared with the database's.
 *
 * <p><b>Leases found rather than won.</b> A lease this node did not see itself win (a claim whose
 * answer was lost, or whose commit the database did not acknowledge: {@link Acknowledgements})
 * is adopted when a reconciliation finds it in the database, but starts only once a heartbeat
 * armed after that reading is confirmed. With synchronous replication the reading may see a
 * commit the standby does not have yet; the confirmed heartbeat was committed after it, so the
 * standby has both.
 */
public final class HeldLeases<K> {

    /*
     * Concurrency: "held" is read lock-free by the supervisor (epoch(), on its hot path, under
     * its key locks) and written by the lease loop's thread, and by the heartbeat's thread
     * only when the incarnation ends (under "lock"; claimed() and reconciled() check under
     * "lock" that their incarnation is still the current one); "releasing" belongs to that
     * thread alone; the queues take work from other threads. "valid" is volatile and written
     * under "lock" together with "deadline". The deadline's expiry runs on a platform daemon
     * thread of its own (started from the clock's timer thread, a platform thread too), so
     * processes busy on every virtual-thread carrier cannot delay it, and calls lost() for every
     * key while holding "lock", so that an expiry and a
     * resumption (confirmed() calling acquired()) never interleave. Lock order: this lock, then the
     * supervisor's key locks (inside lost/acquired). The supervisor calls epoch() and
     * releasedBySupervisor() while holding its key locks, which is why those two take no lock.
     * Taking a key away always removes it from "held" (or clears "valid") before calling lost(),
     * the order Ownership.tryAcquire asks for, so no process starts after lost() completed.
     * "groups" (the group leases this incarnation holds) is read lock-free by the supervisor
     * (holdsGroup) and written like "held": by the loop's thread under "lock", after checking
     * the incarnation, and cleared when it ends. A group is added before its members are
     * claimed and removed only once none of them is held.
     */

    private static final Logger LOG = LoggerFactory.getLogger(HeldLeases.class);

    private final NodeIdentity identity;
    private final Clock clock;
    private final Duration window;
    private final Duration forceAfter;
    private final KeyCodec<K> keys;
    private final ConcurrentHashMap<String, Long> held = new ConcurrentHashMap<>();
    private final Set<String> groups = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> releasing = new HashMap<>();
    private final ConcurrentLinkedQueue<String> releasedBySupervisor = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Lease> ended = new ConcurrentLinkedQueue<>();
    private final Map<String, Long> awaitingBeat = new ConcurrentHashMap<>(); // adopted key to the beats armed before
    private final AtomicLong beatsArmed = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Runnable wake;
    private volatile boolean valid;
    private CompletableFuture<Void> deadline; // guarded by lock
    private volatile Ownership.Control<K> control;
    private volatile boolean closed;

    /** A key's lease as the database holds it. */
    public record Lease(String key, long epoch) {
    }

    /**
     * @param identity the node, whose current incarnation owns the leases held here
     * @param window ttl minus the safety margin: how long a confirmation vouches for the leases
     * @param forceAfter how long a process that must stop for safety gets before it is interrupted
     * @param wake called (on any thread, quickly) when the loop has work: a lease to release
     */
    public HeldLeases(NodeIdentity identity, Clock clock, Duration window, Duration forceAfter, KeyCodec<K> keys,
                      Runnable wake) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = Objects.requireNonNull(window, "window");
        this.forceAfter = Objects.requireNonNull(forceAfter, "forceAfter");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.wake = Objects.requireNonNull(wake, "wake");
    }

    /** The supervisor's side of the seam; set once before the loop starts. */
    public void open(Ownership.Control<K> control) {
        this.control = Objects.requireNonNull(control, "control");
    }

    // ------------------------------------------------------------ the supervisor's threads (lock-free)

    /** The epoch of key's lease if this node may run it now; empty otherwise. Lock-free. */
    public OptionalLong epoch(String key) {
        if (!valid || awaitingBeat.containsKey(key)) {
            return OptionalLong.empty();
        }
        Long epoch = held.get(key);
        return epoch == null ? OptionalLong.empty() : OptionalLong.of(epoch);
    }

    /** Whether key is held (whatever the deadline says). */
    public boolean holds(String key) {
        return held.containsKey(key);
    }

    /** Whether the safety deadline currently allows running the held keys. */
    public boolean valid() {
        return valid;
    }

    /** Whether this node holds the lease of group, so that it may run the group's members. Lock-free. */
    public boolean holdsGroup(String group) {
        return groups.contains(group);
    }

    /** The supervisor stopped running key for good (its row is gone); the loop gives its lease up. Lock-free. */
    public void releasedBySupervisor(String key) {
        if (held.containsKey(key)) {
            releasedBySupervisor.add(key);
            wake.run();
        }
    }

    // ------------------------------------------------------------ the lease loop's thread

    /** A timer for a heartbeat about to be sent; pass it to {@link #confirmed} or {@link #failed}. */
    public CompletableFuture<Void> arm() {
        beatsArmed.incrementAndGet();
        return clock.after(window);
    }

    /** How many leases this node holds, not counting those it is giving up. */
    public int size() {
        return held.size();
    }

    /** How many leases this node is giving up (their processes are stopping, or the release is pending). */
    public int releasingCount() {
        return releasing.size();
    }

    /** Whether key's lease is being given up (its process stopping, or its release pending). */
    public boolean releasing(String key) {
        return releasing.containsKey(key);
    }

    /** A snapshot of the held keys. */
    public Set<String> keys() {
        return Set.copyOf(held.keySet());
    }

    /**
     * A heartbeat sent when {@code timer} was armed found the incarnation live and extended it.
     * If it was in time, it becomes the deadline; if the node was stopped for safety, its keys
     * are started again (nobody can have claimed them: the incarnation never stopped being live).
     */
    public void confirmed(CompletableFuture<Void> timer) {
        lock.lock();
        try {
            Confirmation confirmation = confirm(timer);
            List<String> confirmedAdoptions = confirmation == Confirmation.LATE ? List.of() : adoptionsConfirmed();
            if (confirmation == Confirmation.RESUMED) {
                LOG.info("[{}] Heartbeat in time again: starting {} keys", identity.id(), held.size());
                held.keySet().stream().filter(key -> !awaitingBeat.containsKey(key)).forEach(this::acquired);
            } else if (confirmation == Confirmation.EXTENDED) {
                confirmedAdoptions.forEach(this::acquired);
            } else {
                LOG.warn("[{}] A heartbeat came back after its safety window of {} ms; it does not vouch for the leases",
                        identity.id(), window.toMillis());
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The heartbeat found the incarnation dead (its row expired and the others deleted it, so
     * they may run its keys): every held key is lost at once (their processes were stopped at
     * the deadline already), and the node goes on as a new incarnation, holding nothing until it
     * is registered and claims again. Called on the heartbeat's thread.
     *
     * @return the new incarnation's id
     */
    public String incarnationEnded() {
        List<String> lost;
        String next;
        lock.lock();
        try {
            String previous = identity.id();
            valid = false;
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
            lost = List.copyOf(held.keySet());
            held.clear();
            awaitingBeat.clear();
            groups.clear();
            for (String key : lost) {
                control().lost(keys.decode(key), Duration.ZERO);
            }
            next = identity.next();
            LOG.warn("[{}] This incarnation was declared dead (no heartbeat within the ttl); {} lease(s) are gone."
                    + " Going on as {}", previous, lost.size(), next);
        } finally {
            lock.unlock();
        }
        return next;
    }

    /**
     * The database says {@code owner} holds {@code current} (key to epoch): keys held but not
     * there are lost (deleted); leases there but unknown here are adopted (a claim whose answer
     * was lost on the way) and start if the deadline allows. Ignored if owner is no longer this
     * node's incarnation.
     */
    public void reconciled(String owner, Map<String, Long> current) {
        List<String> gone = new ArrayList<>();
        List<String> adopted = new ArrayList<>();
        lock.lock();
        try {
            if (!owner.equals(identity.id())) {
                return;
            }
            for (Map.Entry<String, Long> entry : held.entrySet()) {
                if (!entry.getValue().equals(current.get(entry.getKey()))) {
                    gone.add(entry.getKey());
                }
            }
            gone.forEach(held::remove);
            gone.forEach(awaitingBeat::remove);
            long armedBefore = beatsArmed.get();
            for (Map.Entry<String, Long> entry : current.entrySet()) {
                if (!held.containsKey(entry.getKey()) && !releasing.containsKey(entry.getKey())) {
                    awaitingBeat.put(entry.getKey(), armedBefore); // before held: epoch() never answers it early
                    held.put(entry.getKey(), entry.getValue());
                    adopted.add(entry.getKey());
                }
            }
            for (String key : gone) {
                control().lost(keys.decode(key), Duration.ZERO);
            }
        } finally {
            lock.unlock();
        }
        if (!gone.isEmpty() || !adopted.isEmpty()) {
            LOG.warn("[{}] Lost {} lease(s) to deletion: {}; adopted {} lease(s) the database says are ours (they start"
                    + " at the next confirmed heartbeat): {}", owner, gone.size(), abbreviate(gone), adopted.size(),
                    abbreviate(adopted));
        }
    }

    /** A heartbeat failed: its timer is dropped; the current deadline stands. */
    public void failed(CompletableFuture<Void> timer) { timer.cancel(false); }

    /** Whether a claim may be made now: the current incarnation is confirmed live. */
    public boolean mayClaim() { return valid; }

    /**
     * A claim made for {@code owner} won {@code claimed}. If owner is still the current
     * incarnation they are held, and start at once while the deadline is valid (else at the next
     * timely heartbeat); if the incarnation ended meanwhile they are not held (their owner is
     * dead: any node may claim them).
     */
    public void claimed(String owner, Map<String, Long> claimed) {
        lock.lock();
        try {
            if (!owner.equals(identity.id())) {
                LOG.info("[{}] Claimed {} key(s) as an incarnation that has ended; leaving them to the others", owner,
                        claimed.size());
                return;
            }
            held.putAll(claimed);
            if (valid) {
                claimed.keySet().forEach(this::acquired);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A claim made for {@code owner} won the lease of group: its members may run here (if owner
     * is still the current incarnation). Call before {@link #claimed} with the members, so that
     * their starts find the group held.
     */
    public void groupClaimed(String owner, String group) {
        groupsOwned(owner, Set.of(group), false);
    }

    /** This node no longer holds the lease of group. Call only once it holds no lease on the group's members. */
    public void groupReleased(String group) {
        groups.remove(group);
    }

    /** The database says {@code owner} holds the leases of exactly these groups (ignored if owner is no longer this node's incarnation). */
    public void groupsOwned(String owner, Set<String> owned) {
        groupsOwned(owner, owned, true);
    }

    private void groupsOwned(String owner, Set<String> owned, boolean exactly) {
        lock.lock();
        try {
            if (!owner.equals(identity.id())) {
                return;
            }
            if (exactly) {
                groups.retainAll(owned);
            }
            groups.addAll(owned);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives up keys: they leave {@link #epoch} at once, their processes are stopped (gracefully,
     * or interrupted after {@code forceAfter} when it is given), and once each has ended its
     * lease is queued for release ({@link #endedLeases}).
     */
    public void giveUp(List<String> toGiveUp, Duration forceAfter) {
        for (String key : toGiveUp) {
            Long epoch = held.remove(key);
            awaitingBeat.remove(key);
            if (epoch == null) {
                continue;
            }
            releasing.put(key, epoch);
            K decoded = keys.decode(key);
            CompletableFuture<Void> stopped = forceAfter == null ? control().lost(decoded) : control().lost(decoded, forceAfter);
            stopped.whenComplete((ignored, error) -> {
                ended.add(new Lease(key, epoch));
                wake.run();
            });
        }
    }

    /** Keys the supervisor released since the last call (their rows are gone). */
    public List<String> drainReleasedBySupervisor() {
        List<String> drained = new ArrayList<>();
        for (String key; (key = releasedBySupervisor.poll()) != null; ) {
            drained.add(key);
        }
        return drained;
    }

    /** Leases whose processes have ended and which may now be released in the database. */
    public List<Lease> endedLeases() {
        List<Lease> drained = new ArrayList<>();
        for (Lease lease; (lease = ended.poll()) != null; ) {
            drained.add(lease);
        }
        return drained;
    }

    /** Whether leases wait to be released. */
    public boolean hasWork() {
        return !ended.isEmpty() || !releasedBySupervisor.isEmpty();
    }

    /** The lease was released in the database (or must be retried: then it is queued again). */
    public void released(Lease lease, boolean done) {
        if (done) {
            releasing.remove(lease.key(), lease.epoch());
        } else {
            ended.add(lease);
        }
    }

    /** Stops the deadline; nothing is held any more. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            valid = false;
            if (deadline != null) {
                deadline.cancel(false);
            }
            held.clear();
            awaitingBeat.clear();
            groups.clear();
            releasing.clear();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------ the deadline

    private enum Confirmation { LATE, EXTENDED, RESUMED }

    /** Makes timer the deadline if it has not ended yet. Caller holds the lock. */
    private Confirmation confirm(CompletableFuture<Void> timer) {
        if (closed || timer.isDone()) {
            return Confirmation.LATE;
        }
        if (deadline != null) {
            deadline.cancel(false);
        }
        deadline = timer;
        timer.thenRun(() -> Thread.ofPlatform().daemon().name("supervisor-lease-deadline").start(() -> expire(timer)));
        boolean resumed = !valid;
        valid = true;
        return resumed ? Confirmation.RESUMED : Confirmation.EXTENDED;
    }

    private void expire(CompletableFuture<Void> timer) {
        List<String> stopping;
        lock.lock();
        try {
            if (deadline != timer || !valid || closed) {
                return; // superseded by a timely confirmation
            }
            valid = false;
            stopping = List.copyOf(held.keySet());
            for (String key : stopping) {
                control().lost(keys.decode(key), forceAfter);
            }
        } catch (RuntimeException e) {
            LOG.error("[{}] Stopping processes for lack of a heartbeat failed", identity.id(), e);
            return;
        } finally {
            lock.unlock();
        }
        LOG.warn("[{}] No heartbeat succeeded within {} ms: stopped {} process(es) (interrupting after {} ms) before"
                + " their leases can expire; they start again when a heartbeat succeeds", identity.id(), window.toMillis(),
                stopping.size(), forceAfter.toMillis());
    }

    /** Adopted keys that a heartbeat armed after their adoption has now confirmed: they may start. Caller holds the lock. */
    private List<String> adoptionsConfirmed() {
        long thisBeat = beatsArmed.get(); // the heartbeat thread arms and confirms one beat at a time
        List<String> ready = new ArrayList<>();
        awaitingBeat.forEach((key, armedBefore) -> {
            if (armedBefore < thisBeat) {
                ready.add(key);
            }
        });
        ready.forEach(awaitingBeat::remove);
        return ready;
    }

    private void acquired(String key) {
        control().acquired(keys.decode(key));
    }

    private Ownership.Control<K> control() {
        Ownership.Control<K> c = control;
        if (c == null) {
            throw new IllegalStateException("[" + identity.id() + "] not opened");
        }
        return c;
    }

    private static String abbreviate(List<String> keys) {
        return keys.size() <= 10 ? keys.toString() : keys.subList(0, 10) + " and " + (keys.size() - 10) + " more";
    }
}
