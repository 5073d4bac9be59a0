package dev.supervisor.jdbc;

import dev.supervisor.Clock;
import dev.supervisor.GroupMembership;
import dev.supervisor.Ownership;
import dev.supervisor.jdbc.internal.dialect.DedicatedConnections;
import dev.supervisor.jdbc.internal.dialect.JdbiSetup;
import dev.supervisor.jdbc.internal.lease.Acknowledgements;
import dev.supervisor.jdbc.internal.lease.GroupClaimer;
import dev.supervisor.jdbc.internal.lease.GroupLeaseTable;
import dev.supervisor.jdbc.internal.lease.HeldLeases;
import dev.supervisor.jdbc.internal.lease.LeaseClaimer;
import dev.supervisor.jdbc.internal.lease.LeaseKeyColumn;
import dev.supervisor.jdbc.internal.lease.LeaseLoop;
import dev.supervisor.jdbc.internal.lease.LeaseTable;
import dev.supervisor.jdbc.internal.lease.NodeHeartbeat;
import dev.supervisor.jdbc.internal.lease.NodeIdentity;
import dev.supervisor.jdbc.internal.lease.NodeRegistry;
import dev.supervisor.jdbc.internal.table.OptionChecks;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode: several supervisors (nodes) share one database, and each key of a
 * {@link JdbcTable} runs on exactly one of them, the node holding its <b>lease</b> in
 * {@code supervisor_leases}. Plug it into the supervisor:
 *
 * <pre>{@code
 * JdbcTable<String, Worker> table = JdbcTable.builder(db, row -> new Worker(row.payload())).build();
 * Supervisor<String, Worker> supervisor = Supervisor.builder(table)
 *         .ownership(LeaseOwnership.builder(table).nodeName("worker-1").build())
 *         .build();
 * }</pre>
 *
 * <p><b>Leases and liveness.</b> A lease is (key, owner incarnation, epoch). It is valid while
 * its owner's row in {@code supervisor_nodes} is live: every {@link Builder#renewInterval} the
 * node's heartbeat writes that one row ({@code expires_at = CURRENT_TIMESTAMP + ttl}, the
 * database's clock, so node clocks never matter), whatever the number of keys it holds; lease
 * rows change only on claim, hand-over and release. An incarnation whose row expired is deleted
 * by the next node that looks for keys, and can never renew again (a node that comes back after
 * that goes on as a new incarnation, {@link #nodeId()}). A node claims keys without a lease, or
 * whose owner is dead, in one statement that gives each a new epoch from a sequence; the epoch is
 * the process's fencing token ({@link dev.supervisor.ProcessContext#epoch()}, and
 * {@link LeaseFence} for conditioning writes on it).
 *
 * <p><b>Key types and groups.</b> A lease's name is the key's text ({@link KeyCodec#encode});
 * lease statements compare it with a text, integer or UUID key column through the column's own
 * type. For a table with a group column, the members of a group run on one node, the one holding
 * the group's lease ({@code supervisor_group_leases}): a group is claimed, taken over and handed
 * over with all of its members in one transaction, only the group's node claims rows added to it,
 * and {@link #tryAcquire(Object, GroupMembership)} refuses a member whose group this node does not
 * hold. Each member keeps its own lease and epoch (what {@link LeaseFence} checks). A group counts
 * as its members in the fair share.
 *
 * <p><b>Safety.</b> The node arms a timer on its own monotonic clock before sending each
 * heartbeat. If none has succeeded within {@code ttl - safetyMargin} of being sent, it stops
 * all of its processes (interrupting them after half the margin), so they have ended before its
 * row can expire and another node can claim the keys. They start again once a heartbeat
 * succeeds in time. A process that ignores interruption, or a JVM frozen for longer than the
 * margin (a long GC pause, a suspended VM), can outlive its lease: writes that must never come
 * from two nodes should be fenced with the epoch ({@link LeaseFence}).
 *
 * <p><b>No node's fault stops another.</b> The heartbeat runs on a thread of its own (and, for a
 * HikariCP pool, a connection of its own), so it never waits behind a claim or a busy pool. Every
 * lease statement has a timeout. Claims skip lease rows that another transaction holds (a
 * fenced transaction of a frozen node) instead of waiting, and take them in a later round; the
 * fence bounds how long such a transaction can hold its lock.
 *
 * <p><b>Load.</b> A node holds at most its fair share of the rows (the rows divided among the
 * active nodes, rounded up, each node up to its {@link Builder#capacity}); above it, it hands keys
 * over (stopping them gracefully first). A node is active while it beat within the last two
 * renew intervals, so a dead incarnation stops counting long before its keys are taken over. It
 * looks for claimable keys every three renew intervals, when the supervisor finds a key no node
 * holds (a new row), and right when another node's row expires. It counts the rows in the rounds
 * the supervisor asks for and in every tenth scheduled one (the others reuse the last count), so a
 * table at rest is not read whole every round. On {@link #close()} (after the
 * supervisor stopped its processes) it deletes its leases and its row, so the others take the
 * keys over at once (on PostgreSQL they are notified; on H2 they find them within a claim round).
 *
 * <p><b>Defaults</b> ({@link #DEFAULT_TTL} 9 s, {@link #DEFAULT_RENEW_INTERVAL} 1 s,
 * {@link #DEFAULT_SAFETY_MARGIN} 2 s): a node that dies has its keys started elsewhere 8 to 9.5 s
 * later; a node cut off from the database keeps its processes through an outage of up to about
 * 5.5 s, and stops them 6 to 7 s into a longer one. (A shorter ttl would fail over faster but
 * stop processes in shorter outages: see docs/cluster.md for why 5 s of each cannot be had
 * safely together.)
 *
 * <p>Thread-safe. Used by one supervisor; {@code open} and {@code close} are the supervisor's.
 *
 * @param <K> the key type
 */
public final class LeaseOwnership<K> implements Ownership<K> {

    /** How long a node's incarnation (and so its leases) stays valid after its last heartbeat, on the database's clock: 9 s. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(9);
    /** How often a node beats (one row written, whatever its number of keys): every 1 s. */
    public static final Duration DEFAULT_RENEW_INTERVAL = Duration.ofSeconds(1);
    /** How long before its incarnation could expire a node that cannot beat stops its processes: 2 s. */
    public static final Duration DEFAULT_SAFETY_MARGIN = Duration.ofSeconds(2);
    /** The default timeout of claim and release statements: 5 s. */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(5);
    /** No limit on the keys one node runs. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    private static final Logger LOG = LoggerFactory.getLogger(LeaseOwnership.class);

    private final NodeIdentity identity;
    private final KeyCodec<K> keys;
    private final Clock clock;
    private final Duration renewInterval;
    private final Duration queryTimeout;
    private final Jdbi jdbi;
    private final LeaseTable leases;
    private final GroupLeaseTable groupLeases; // null: the table has no group column
    private final NodeRegistry nodes;
    private final HeldLeases<K> held;
    private final LeaseLoop loop;
    private final Object lifecycle = new Object();
    private boolean opened; // guarded by lifecycle
    private boolean closed; // guarded by lifecycle

    private LeaseOwnership(Builder<K> builder) {
        this.identity = new NodeIdentity(builder.nodeName);
        this.keys = builder.table.keyCodec();
        this.clock = builder.clock;
        this.renewInterval = builder.renewInterval;
        this.queryTimeout = builder.queryTimeout;
        Dialect dialect = builder.table.dialect();
        int timeoutSeconds = Math.toIntExact(Math.max(1, builder.queryTimeout.toSeconds()));
        this.jdbi = Acknowledgements.install(JdbiSetup.create(builder.dataSource, builder.queryTimeout),
                Duration.ofSeconds(timeoutSeconds + 1L));
        LeaseKeyColumn key = new LeaseKeyColumn(builder.table.keyColumn(), keys.columnType());
        Identifier group = builder.table.groupColumns().group();
        this.leases = new LeaseTable(dialect.sql(), builder.table.table(), key, group, builder.ttl, timeoutSeconds);
        this.groupLeases = group == null ? null
                : new GroupLeaseTable(dialect.sql(), leases, builder.table.table(), key, group, builder.ttl);
        this.nodes = new NodeRegistry(dialect.sql(), identity, builder.table.table(), builder.capacity, builder.ttl,
                builder.renewInterval);
        LeaseLoop[] loopRef = new LeaseLoop[1];
        this.held = new HeldLeases<>(identity, clock, builder.ttl.minus(builder.safetyMargin), builder.safetyMargin.dividedBy(2),
                keys, () -> loopRef[0].wake());
        int beatTimeout = Math.toIntExact(Math.max(1, renewInterval.toSeconds()));
        NodeHeartbeat heartbeat = new NodeHeartbeat(clock, renewInterval, beatTimeout, builder.dataSource,
                DedicatedConnections.dedicatedOnly(dialect.sql(), builder.dataSource, beatTimeout).orElse(null), nodes, held,
                () -> loopRef[0].claimSoon());
        this.loop = new LeaseLoop(identity.name(), clock, renewInterval, heartbeat,
                new LeaseClaimer(identity, jdbi, leases, nodes, held,
                        groupLeases == null ? null : new GroupClaimer(jdbi, groupLeases, held)), held);
        loopRef[0] = loop;
    }

    /** A builder for leases on the keys of {@code table}, in its database. */
    public static <K> Builder<K> builder(JdbcTable<K, ?> table) {
        return new Builder<>(table);
    }

    /** This node's configured name. */
    public String nodeName() {
        return identity.name();
    }

    /**
     * This node's current incarnation id: its name plus a random suffix, new on every start and
     * whenever the other nodes declared this one dead (it could not beat for a ttl). It is the
     * {@code owner} of its leases, so that a restarted node never mistakes the leases of its
     * previous run (which may still be running somewhere, stalled) for its own.
     */
    public String nodeId() {
        return identity.id();
    }

    /** The keys this node holds a lease on and may run now (empty while it is stopped for lack of a timely heartbeat). */
    public Set<K> keys() {
        if (!held.valid()) {
            return Set.of();
        }
        return held.keys().stream().map(keys::decode).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Registers the node (its first heartbeat), claims once (waiting at most a renew interval, so that
     * the supervisor's first pass finds the keys this node won), then runs the lease loop.
     *
     * @throws IllegalStateException if opened twice or after close
     */
    @Override
    public void open(Control<K> control) {
        synchronized (lifecycle) {
            if (opened || closed) {
                throw new IllegalStateException("lease ownership " + identity.id() + " was already " + (closed ? "closed" : "opened"));
            }
            opened = true;
        }
        held.open(control);
        loop.start();
        awaitAtMost(loop.firstRound(), renewInterval);
        LOG.info("[{}] Lease loop running; holding {} key(s)", identity.id(), held.size());
    }

    /** The epoch of this node's lease on key, or empty (and a claim round soon) if it has none. Lock-free. */
    @Override
    public OptionalLong tryAcquire(K key) {
        String text = keys.encode(key);
        OptionalLong epoch = held.epoch(text);
        if (epoch.isEmpty() && held.valid() && !held.holds(text)) {
            loop.claimSoon(); // perhaps a new row: look for keys without a live lease
        }
        return epoch;
    }

    /**
     * The epoch of this node's lease on key if key's group ({@code membership}, null for none)
     * runs on this node, else empty (and a claim round soon, which hands a key this node holds
     * outside its group over to the group's node). Lock-free.
     */
    @Override
    public OptionalLong tryAcquire(K key, GroupMembership membership) {
        if (membership != null && !held.holdsGroup(membership.group())) {
            if (held.valid()) {
                loop.claimSoon();
            }
            return OptionalLong.empty();
        }
        return tryAcquire(key);
    }

    /** The supervisor retired key (its row is gone): its lease is released. Never blocks. */
    @Override
    public void release(K key) {
        held.releasedBySupervisor(keys.encode(key));
    }

    /**
     * Stops the lease loop, deletes this node's leases and heartbeat (the supervisor has stopped
     * every process by now), and tells the other nodes so they take the keys over at once. If the
     * database cannot be reached the leases simply expire. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (!opened) {
                return;
            }
        }
        awaitAtMost(loop.close(), queryTimeout.multipliedBy(2).plusSeconds(5)); // a statement in flight ends first
        held.close();
        String owner = identity.id();
        try {
            List<String> released = jdbi.inTransaction(handle -> {
                leases.limit(handle);
                List<String> keys = leases.releaseAll(handle, owner);
                if (groupLeases != null) {
                    groupLeases.releaseAll(handle, owner);
                }
                nodes.remove(handle);
                leases.announce(handle, keys);
                return keys;
            });
            LOG.info("[{}] Closed: released {} lease(s)", owner, released.size());
        } catch (Exception e) {
            LOG.warn("[{}] Closed without releasing the leases (they expire on their own): {}", owner, e.getMessage());
        }
    }

    /** Waits until done completes or bound has passed on the clock, whichever first. */
    private void awaitAtMost(CompletableFuture<Void> done, Duration bound) {
        CompletableFuture<Void> deadline = clock.after(bound);
        try {
            CompletableFuture.anyOf(done, deadline).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new AssertionError("neither future fails", e);
        } finally {
            deadline.cancel(false);
        }
    }

    @Override
    public String toString() {
        return "LeaseOwnership[" + identity.id() + ", " + held.size() + " keys]";
    }

    /**
     * Options of a {@link LeaseOwnership}. Setters validate at once; {@link #build()} checks that
     * they fit together. Not thread-safe.
     *
     * @param <K> the key type
     */
    public static final class Builder<K> {
        private final JdbcTable<K, ?> table;
        private DataSource dataSource;
        private String nodeName = ManagementFactory.getRuntimeMXBean().getName(); // "pid@host"
        private Duration ttl = DEFAULT_TTL;
        private Duration renewInterval = DEFAULT_RENEW_INTERVAL;
        private Duration safetyMargin = DEFAULT_SAFETY_MARGIN;
        private int capacity = UNLIMITED;
        private Clock clock = Clock.system();
        private Duration queryTimeout;

        private Builder(JdbcTable<K, ?> table) {
            this.table = Objects.requireNonNull(table, "table");
            this.dataSource = table.dataSource();
        }

        /**
         * Where lease statements run; default: the table's data source. The heartbeat keeps a
         * connection of its own when this is a HikariCP pool with a JDBC URL; otherwise it borrows
         * one per beat, and a pool of its own keeps it from waiting behind busy workers.
         */
        public Builder<K> dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** This node's name, for people reading the tables; default {@code pid@host}. 1 to 255 characters. */
        public Builder<K> nodeName(String name) {
            Objects.requireNonNull(name, "nodeName");
            if (name.isBlank() || name.length() > 255) {
                throw new IllegalArgumentException("nodeName must be 1 to 255 characters and not blank, was '" + name + "'");
            }
            this.nodeName = name;
            return this;
        }

        /** How long the node's incarnation, and so its leases, stays valid after its last heartbeat (database clock); default {@link #DEFAULT_TTL}. */
        public Builder<K> ttl(Duration ttl) {
            this.ttl = OptionChecks.positive("ttl", ttl);
            return this;
        }

        /** How often the node beats (claim rounds run every three intervals); default {@link #DEFAULT_RENEW_INTERVAL}. */
        public Builder<K> renewInterval(Duration interval) {
            this.renewInterval = OptionChecks.positive("renewInterval", interval);
            return this;
        }

        /**
         * How long before its incarnation could expire a node that cannot beat stops its processes;
         * default {@link #DEFAULT_SAFETY_MARGIN}. Processes are asked to stop at {@code ttl -
         * safetyMargin} after the last successful heartbeat was sent and interrupted half a margin
         * later, so the margin must cover the interruption taking effect.
         */
        public Builder<K> safetyMargin(Duration margin) {
            this.safetyMargin = OptionChecks.positive("safetyMargin", margin);
            return this;
        }

        /** The most keys this node runs at once; default {@link #UNLIMITED}. */
        public Builder<K> capacity(int capacity) {
            this.capacity = OptionChecks.atLeastOne("capacity", capacity);
            return this;
        }

        /** The clock of every timer (heartbeats, the safety deadline); use the supervisor's. Default {@link Clock#system()}. */
        public Builder<K> clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The longest one claim or release statement may run (whole seconds, at least 1); default
         * {@link #DEFAULT_QUERY_TIMEOUT}, or the renew interval if longer. A heartbeat always times
         * out after the renew interval (at least 1 s), so it is tried again on time.
         */
        public Builder<K> queryTimeout(Duration timeout) {
            this.queryTimeout = OptionChecks.atLeastOneSecond("queryTimeout", timeout);
            return this;
        }

        /**
         * The ownership, not yet running (the supervisor opens it at launch).
         *
         * @throws IllegalArgumentException if the margin is not below the ttl, or fewer than two
         *     renewals fit before the safety deadline ({@code 2 * renewInterval > ttl - safetyMargin})
         */
        public LeaseOwnership<K> build() {
            if (safetyMargin.compareTo(ttl) >= 0) {
                throw new IllegalArgumentException("safetyMargin " + safetyMargin + " must be shorter than ttl " + ttl);
            }
            Duration window = ttl.minus(safetyMargin);
            if (renewInterval.multipliedBy(2).compareTo(window) > 0) {
                throw new IllegalArgumentException("renewInterval " + renewInterval + " is too long: at least two renewals"
                        + " must fit into ttl - safetyMargin = " + window + " (a node stops its processes when none succeeded"
                        + " by then)");
            }
            if (queryTimeout == null) {
                queryTimeout = renewInterval.compareTo(DEFAULT_QUERY_TIMEOUT) < 0 ? DEFAULT_QUERY_TIMEOUT : renewInterval;
            }
            LeaseOwnership<K> ownership = new LeaseOwnership<>(this);
            LOG.info("LeaseOwnership on {} as node {}: ttl {}, renew every {}, safety margin {}, capacity {}", table.table(),
                    ownership.nodeId(), ttl, renewInterval, safetyMargin, capacity == UNLIMITED ? "unlimited" : capacity);
            return ownership;
        }
    }
}
