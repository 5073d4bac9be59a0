package dev.supervisor;

import dev.supervisor.internal.Engine;
import dev.supervisor.internal.SupervisorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;

/**
 * Keeps one process alive per row of a {@link Table}: the table is the desired state, the
 * supervisor reconciles towards it.
 *
 * <pre>{@code
 * Supervisor<String, Worker> supervisor = Supervisor.builder(table)
 *         .reconcileInterval(Duration.ofSeconds(30))
 *         .restartPolicy(RestartPolicy.DEFAULT.withGiveUp(5, Duration.ofMinutes(1)))
 *         .build();
 * supervisor.launch();          // restores every row's process, then reconciles in the background
 * ...
 * supervisor.close();           // stops them all and waits
 * }</pre>
 *
 * <p><b>Guarantees.</b> At most one process per key exists at any time, whatever the
 * interleaving of {@link #start}, {@link #stop}, reconcile passes, process exits and
 * {@link #close}: a stopping process still counts, and its successor starts only after it ended.
 * A process whose row exists and that ended on its own is restarted according to its
 * {@link RestartPolicy}; a process whose row is gone is stopped gracefully; nothing starts once
 * {@code close()} began.
 *
 * <p><b>Threading.</b> All methods are thread-safe. Each process runs on its own virtual thread.
 * Reconcile passes run on one background virtual thread, every {@code reconcileInterval} and at
 * once when the table signals a change. Where the table numbers its writes
 * ({@link Table#latestRevision}), the periodic pass reads only the rows changed since the passes
 * before, and a full pass runs every {@code resyncInterval}. {@code start}, {@code stop} and {@code close} block the
 * caller as documented; {@code get}, {@code keys}, {@code status} and {@code statuses} never block.
 *
 * @param <K> the key type
 * @param <P> the process type, decoded from a row
 */
public final class Supervisor<K, P extends Runner> implements AutoCloseable {

    /** Default period of reconcile passes: 60 s. */
    public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofSeconds(60);
    /** Default period of full passes on a table whose periodic passes read only changes: 10 min. */
    public static final Duration DEFAULT_RESYNC_INTERVAL = Duration.ofMinutes(10);
    /** Default bound on how long {@link #launch()} waits for restored processes: 1 s. */
    public static final Duration DEFAULT_INITIAL_WAIT = Duration.ofSeconds(1);
    /** Default grace between a graceful stop request and interruption: 15 s. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(15);

    private final Engine<K, P> engine;

    private Supervisor(Engine<K, P> engine) {
        this.engine = engine;
    }

    /**
     * A builder for a supervisor of {@code table}'s rows.
     *
     * @throws NullPointerException if table is null
     */
    public static <K, P extends Runner> Builder<K, P> builder(Table<K, P> table) {
        return new Builder<>(Objects.requireNonNull(table, "table"));
    }

    /**
     * Restores the table's processes (waiting at most initialWait for their starts), then starts the
     * reconcile loop and returns. A failing first pass is reported and retried by the loop; it does
     * not make launch fail.
     *
     * @throws IllegalStateException if launch was already called, or the supervisor was closed
     */
    public void launch() {
        engine.launch();
    }

    /**
     * Stops the reconcile loop, refuses new starts, stops every process, waits for all of them.
     * Each process gets a graceful stop and is interrupted after the stop timeout; a process still
     * starting is interrupted at once. Idempotent: later and concurrent calls wait for the first.
     */
    @Override
    public void close() {
        engine.close();
    }

    /** launch(); body; close() — close runs even when body throws. */
    public <T> T run(Callable<T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        launch();
        try {
            return body.call();
        } finally {
            close();
        }
    }

    /**
     * Starts the process for key, reading its value from the table; returns once it is RUNNING.
     * Starting a key that waits in backoff, gave up or completed starts it now.
     *
     * @throws NotRunningException if the supervisor is not launched
     * @throws ProcessExistsException if a process for key exists (starting, running or stopping)
     * @throws ProcessNotFoundException if the table has no row for key
     * @throws ProcessStartException if the runner failed before ready() or startTimeout passed
     * @throws TableException if the row cannot be read or decoded
     * @throws SupervisorException if another node owns the key (cluster mode)
     */
    public P start(K key) {
        return engine.start(Objects.requireNonNull(key, "key"));
    }

    /**
     * Stops the process for key gracefully and waits for it to end. ProcessNotFoundException if
     * there is none. To keep it stopped, delete its row first: otherwise the next pass starts it again.
     *
     * @throws ProcessNotFoundException if no process for key exists
     */
    public void stop(K key) {
        engine.stop(Objects.requireNonNull(key, "key"));
    }

    /**
     * Stops key's process gracefully and starts a new one at once with the key's current row;
     * returns the new process once it is RUNNING. Not a failure: the backoff and the give-up count
     * are untouched; the attempt number goes on. The old process's exit is {@code STOPPED} with
     * {@link StopCause#RESTART} (or {@code CANCELLED} if it was still starting). With no process
     * for key (waiting in backoff, given up, completed, stopped), it starts one, like {@link #start}.
     * At most one process exists for the key throughout: the new one starts after the old one ended.
     *
     * <p>In cluster mode, when another node runs the key (this node's {@link Ownership} does not
     * give it the key), the restart is requested through the table ({@link Table#requestRestart})
     * and this method returns {@code null} at once: the node that runs the key restarts it when it
     * sees the request (on the table's change signal, else at its next pass), and this node cannot
     * observe that process. Callers that need to know when it runs again watch the status that
     * node writes (for the JDBC tables, the status table).
     *
     * @return the new process, once RUNNING; {@code null} if the restart was requested through the
     *     table for another node
     * @throws NotRunningException if the supervisor is not launched (or closes meanwhile)
     * @throws ProcessNotFoundException if the table has no row for key (or it is deleted meanwhile)
     * @throws ProcessStartException if the new process failed before ready() or startTimeout passed
     * @throws SupervisorException if the key is paused or is being paused, or if another node owns
     *     the key and the table takes no restart requests
     */
    public P restart(K key) {
        return engine.restart(Objects.requireNonNull(key, "key"));
    }

    /**
     * Pauses key: sets its row's paused flag through {@link Table#setPaused}; the key's process is
     * stopped gracefully (its exit carries {@link StopCause#PAUSED}) and the key waits in
     * {@link KeyState#PAUSED}, keeping its status, until {@link #resume}. Returns once the process
     * of this node has ended (in cluster mode, the node that runs the key stops it on the table's
     * change signal). Works before launch too: the flag is written, and launch leaves the key paused.
     *
     * @throws ProcessNotFoundException if the table has no row for key
     * @throws UnsupportedOperationException if the table has no paused flag
     * @throws TableException if the table cannot be written
     */
    public void pause(K key) {
        engine.pause(Objects.requireNonNull(key, "key"));
    }

    /**
     * Resumes a paused key: clears its row's paused flag through {@link Table#setPaused}; the
     * supervisor then starts its process (on this node at once if it may run it). Does not wait for
     * the start. Resuming a key that is not paused changes nothing.
     *
     * @throws ProcessNotFoundException if the table has no row for key
     * @throws UnsupportedOperationException if the table has no paused flag
     * @throws TableException if the table cannot be written
     */
    public void resume(K key) {
        engine.resume(Objects.requireNonNull(key, "key"));
    }

    /**
     * The running process for key.
     *
     * @throws ProcessNotFoundException if none exists
     * @throws ProcessNotRunningException if it exists but is not RUNNING (still starting, or stopping)
     */
    public P get(K key) {
        return engine.get(Objects.requireNonNull(key, "key"));
    }

    /** Keys of all processes that currently exist (starting, running or stopping). A copy. */
    public Set<K> keys() {
        return engine.keys();
    }

    /** The status of key, or empty when the supervisor knows nothing of it. Never blocks. */
    public Optional<ProcessStatus<K>> status(K key) {
        return engine.status(Objects.requireNonNull(key, "key"));
    }

    /** The status of every key the supervisor knows (with or without a process). A copy. */
    public Map<K, ProcessStatus<K>> statuses() {
        return engine.statuses();
    }

    /**
     * Forgets key's failure history and lifts a give-up, completion or pending backoff: the key is
     * started again at once if its row exists. For a member of a group that gave up, it does so
     * for the whole group: its restart count starts again and every member given up is started.
     *
     * @throws ProcessNotFoundException if the supervisor knows nothing of key
     */
    public void reset(K key) {
        engine.reset(Objects.requireNonNull(key, "key"));
    }

    /**
     * The group {@code name} as this supervisor knows it (the members it has seen, in group order),
     * or empty when it knows no member of it. Never blocks.
     */
    public Optional<GroupStatus<K>> group(String name) {
        return engine.group(Objects.requireNonNull(name, "name"));
    }

    /**
     * True from the moment {@link #launch()} returns until {@link #close()} begins: the reconcile
     * loop runs and processes may start. False before launch, while launching, and once closing.
     */
    public boolean isLaunched() {
        return engine.isLaunched();
    }

    /**
     * The report of the newest full reconcile pass (including launch's), or empty before the first
     * one ended. {@code lastPass().map(PassReport::complete)} tells whether it read the whole table.
     */
    public Optional<PassReport<K>> lastPass() {
        return engine.lastPass();
    }

    /** Asks for a full reconcile pass now (reading every row), without waiting for it. */
    public void reconcileNow() {
        engine.requestPass();
    }

    /** This supervisor's name, used in logs and thread names. */
    public String name() {
        return engine.name();
    }

    @Override
    public String toString() {
        return "Supervisor[" + engine + "]";
    }

    /**
     * Configures a {@link Supervisor}. Setters validate at once and throw
     * {@link IllegalArgumentException} naming the option and the value. Not thread-safe.
     */
    public static final class Builder<K, P extends Runner> {
        private final Table<K, P> table;
        private Clock clock = Clock.system();
        private Duration reconcileInterval = DEFAULT_RECONCILE_INTERVAL;
        private Duration resyncInterval = DEFAULT_RESYNC_INTERVAL;
        private Duration initialWait = DEFAULT_INITIAL_WAIT;
        private Duration startTimeout;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private RestartPolicy restartPolicy = RestartPolicy.DEFAULT;
        private BiFunction<? super K, ? super P, RestartPolicy> restartPolicyFor;
        private final List<SupervisorListener<? super K>> listeners = new ArrayList<>();
        private Ownership<K> ownership = Ownership.local();
        private RandomGenerator random;
        private String name = "supervisor";
        private RowUpdates rowUpdates = RowUpdates.RESTART;
        private final Map<String, GroupPolicy> groups = new java.util.HashMap<>();

        private Builder(Table<K, P> table) {
            this.table = table;
        }

        /** The clock for every timing; default {@link Clock#system()}. */
        public Builder<K, P> clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Period of reconcile passes; default {@link Supervisor#DEFAULT_RECONCILE_INTERVAL}. On a
         * table that lists changed rows ({@link Table#latestRevision}) these passes read only the
         * rows changed since the passes before; otherwise each reads the whole table.
         */
        public Builder<K, P> reconcileInterval(Duration interval) {
            this.reconcileInterval = positive("reconcileInterval", interval);
            return this;
        }

        /**
         * Period of full passes on a table whose periodic passes read only changed rows: the safety
         * net for what those passes and the change signal cannot see (a delete whose signal was
         * lost, a row committed long after it took its revision); default
         * {@link Supervisor#DEFAULT_RESYNC_INTERVAL}. Every full pass, whatever asked for it,
         * starts this period again. A value not above {@code reconcileInterval} makes every
         * periodic pass a full one.
         */
        public Builder<K, P> resyncInterval(Duration interval) {
            this.resyncInterval = positive("resyncInterval", interval);
            return this;
        }

        /** launch() waits this long at most for restored starts; default {@link Supervisor#DEFAULT_INITIAL_WAIT}. Zero does not wait. */
        public Builder<K, P> initialWait(Duration wait) {
            this.initialWait = notNegative("initialWait", wait);
            return this;
        }

        /** A start that is not RUNNING within this is failed and interrupted; default: none. */
        public Builder<K, P> startTimeout(Duration timeout) {
            this.startTimeout = positive("startTimeout", timeout);
            return this;
        }

        /** Grace before a stopping process is interrupted; default {@link Supervisor#DEFAULT_STOP_TIMEOUT}. Zero interrupts at once. */
        public Builder<K, P> stopTimeout(Duration timeout) {
            this.stopTimeout = notNegative("stopTimeout", timeout);
            return this;
        }

        /** The restart policy of every key; default {@link RestartPolicy#DEFAULT}. */
        public Builder<K, P> restartPolicy(RestartPolicy policy) {
            this.restartPolicy = Objects.requireNonNull(policy, "restartPolicy");
            return this;
        }

        /**
         * A policy per key or per process, asked at each exit with the process that ended
         * (for example {@code (key, worker) -> worker.restartPolicy()}); a null answer means the
         * builder's {@link #restartPolicy(RestartPolicy)}.
         */
        public Builder<K, P> restartPolicyFor(BiFunction<? super K, ? super P, RestartPolicy> policyFor) {
            this.restartPolicyFor = Objects.requireNonNull(policyFor, "restartPolicyFor");
            return this;
        }

        /** Adds a listener; see {@link SupervisorListener} for its threading. */
        public Builder<K, P> listener(SupervisorListener<? super K> listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Which keys this node may run; default {@link Ownership#local()} (all of them). */
        public Builder<K, P> ownership(Ownership<K> ownership) {
            this.ownership = Objects.requireNonNull(ownership, "ownership");
            return this;
        }

        /** The random source of backoff jitter; seed it for reproducible tests. Default: a fresh unseeded generator. */
        public Builder<K, P> random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * What happens when a running key's row changes its value; default {@link RowUpdates#RESTART}
         * (the process is restarted with the new value), or {@link RowUpdates#IGNORE}.
         */
        public Builder<K, P> onRowUpdate(RowUpdates updates) {
            this.rowUpdates = Objects.requireNonNull(updates, "onRowUpdate");
            return this;
        }

        /**
         * The policy of the group {@code name} (rows name their group through {@link Cursor#group()}
         * and {@link Table#group}); it takes precedence over the table's {@link Table#groupPolicy}.
         * A group given no policy anywhere is {@link GroupPolicy#UNLIMITED_ONE_FOR_ONE}.
         *
         * @throws IllegalArgumentException if name is blank
         */
        public Builder<K, P> group(String name, GroupPolicy policy) {
            Objects.requireNonNull(name, "group name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("group name must not be blank");
            }
            groups.put(name, Objects.requireNonNull(policy, "policy of group " + name));
            return this;
        }

        /** A name for logs and thread names; default "supervisor". */
        public Builder<K, P> name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        /** A new supervisor with this configuration, not yet launched. */
        public Supervisor<K, P> build() {
            SupervisorConfig<K, P> config = new SupervisorConfig<>(name, table, clock, reconcileInterval, resyncInterval,
                    initialWait,
                    Optional.ofNullable(startTimeout), stopTimeout, restartPolicy, Optional.ofNullable(restartPolicyFor),
                    List.copyOf(listeners), ownership,
                    random != null ? random : RandomGenerator.getDefault(), rowUpdates, Map.copyOf(groups));
            return new Supervisor<>(new Engine<>(config));
        }

        private static Duration positive(String option, Duration value) {
            Objects.requireNonNull(value, option);
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(option + " must be positive, was " + value);
            }
            return value;
        }

        private static Duration notNegative(String option, Duration value) {
            Objects.requireNonNull(value, option);
            if (value.isNegative()) {
                throw new IllegalArgumentException(option + " must not be negative, was " + value);
            }
            return value;
        }
    }
}
