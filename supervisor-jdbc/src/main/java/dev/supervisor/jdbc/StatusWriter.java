package dev.supervisor.jdbc;

import dev.supervisor.Clock;
import dev.supervisor.ProcessStatus;
import dev.supervisor.SupervisorListener;
import dev.supervisor.jdbc.internal.dialect.JdbiSetup;
import dev.supervisor.jdbc.internal.table.OptionChecks;
import dev.supervisor.jdbc.internal.table.SqlText;
import dev.supervisor.jdbc.internal.table.StatusTable;
import dev.supervisor.jdbc.internal.table.StatusTable.Change;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the supervisor's observed state to the status table ({@code supervisor_status}), so that
 * {@code SELECT * FROM supervisor_status} shows what runs where. Register it as a listener:
 *
 * <pre>{@code
 * StatusWriter<String> status = StatusWriter.<String>builder(database).build();
 * Supervisor<String, Worker> supervisor = Supervisor.builder(table).listener(status).build();
 * }</pre>
 *
 * <p>Off the hot path: the listener methods only record the key's latest status in memory;
 * a thread of the writer's own upserts the recorded statuses in batches, every
 * {@link Builder#flushInterval} on its {@link Clock}, or sooner when {@link Builder#batchSize}
 * keys are waiting. Retired keys' rows are deleted. While the database is down, writes wait and
 * only the latest status per key is kept (intermediate states are lost, memory stays bounded by
 * the number of keys); nothing is thrown into the supervisor. Each row is keyed by (name, node).
 *
 * <p>Thread-safe. {@link #close()} writes what is pending (bounded by the query timeout) and stops.
 */
public final class StatusWriter<K> implements SupervisorListener<K>, AutoCloseable {

    /*
     * Concurrency: "pending" maps each key to its latest change; listener threads only put into it.
     * All writes run on one daemon thread ("executor"): a timer on the clock, re-armed after each
     * flush, and "flushSoon" (set when a batch fills) submit flushes there, so flushes never
     * overlap. A flush removes an entry only after writing it and only if it is still the same
     * entry (remove(key, value)), so a newer change that arrived meanwhile is kept for the next.
     */

    /** The default status table, created by {@link SchemaMigration}. */
    public static final String DEFAULT_TABLE = "supervisor_status";
    /** Default time between flushes: 200 ms. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(200);
    /** Default keys per batch (a fuller map flushes early): 500. */
    public static final int DEFAULT_BATCH_SIZE = 500;

    private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);

    private final StatusTable table;
    private final Function<? super K, String> keys;
    private final ProcessDetails.Source<K> details;
    private final Clock clock;
    private final Duration flushInterval;
    private final int batchSize;
    private final Duration queryTimeout;
    private final String name;
    private final Identifier tableName;
    private final ConcurrentHashMap<K, Change<K>> pending = new ConcurrentHashMap<>();
    private final ExecutorService executor;
    private final AtomicBoolean flushSoon = new AtomicBoolean();
    private final AtomicLong batchesWritten = new AtomicLong();
    private final AtomicLong failedFlushes = new AtomicLong();
    private volatile CompletableFuture<Void> timer = CompletableFuture.completedFuture(null);
    private volatile boolean closed;
    private boolean failing; // flush thread only

    private StatusWriter(Builder<K> builder, Dialect dialect) {
        Jdbi jdbi = JdbiSetup.create(builder.dataSource, builder.queryTimeout);
        this.table = new StatusTable(jdbi, dialect.sql(), builder.table, builder.node, builder.details != null);
        this.details = builder.details;
        this.keys = builder.keys;
        this.clock = builder.clock;
        this.flushInterval = builder.flushInterval;
        this.batchSize = builder.batchSize;
        this.queryTimeout = builder.queryTimeout;
        this.name = builder.table + "@" + builder.node;
        this.tableName = builder.table;
        this.executor = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
                .name("supervisor-status-writer-" + builder.table).factory());
        arm();
    }

    /** A builder writing through dataSource. */
    public static <K> Builder<K> builder(DataSource dataSource) {
        return new Builder<>(dataSource);
    }

    /** A builder writing to an opened {@link Database}. */
    public static <K> Builder<K> builder(Database database) {
        return new Builder<K>(database.dataSource()).dialect(database.dialect());
    }

    /** Records the key's latest status; returns at once. */
    @Override
    public void statusChanged(ProcessStatus<K> status) {
        ProcessDetails processDetails = details == null ? ProcessDetails.NONE : details.of(status);
        record(new Change<>(status.key(), status, clock.now(), Objects.requireNonNull(processDetails, "processDetails")));
    }

    /** Records that the key's status row is to be deleted; returns at once. */
    @Override
    public void retired(ProcessStatus<K> last) {
        record(new Change<>(last.key(), null, clock.now()));
    }

    private void record(Change<K> change) {
        if (closed) {
            LOG.debug("[{}] Closed: not writing {}", name, change);
            return;
        }
        pending.put(change.key(), change);
        if (pending.size() >= batchSize && flushSoon.compareAndSet(false, true)) {
            submit(() -> {
                flushSoon.set(false);
                flush();
            });
        }
    }

    private void arm() {
        CompletableFuture<Void> next = clock.after(flushInterval);
        timer = next;
        next.thenRun(() -> submit(() -> {
            flush();
            if (!closed) {
                arm();
            }
        }));
    }

    private Future<?> submit(Runnable task) {
        try {
            return executor.submit(task);
        } catch (RejectedExecutionException afterClose) {
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Writes everything pending, in batches; on the writer's thread only. */
    private void flush() {
        try {
            List<Change<K>> batch = new ArrayList<>(Math.min(batchSize, pending.size()));
            for (Change<K> change : pending.values()) {
                batch.add(change);
                if (batch.size() == batchSize) {
                    writeBatch(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                writeBatch(batch);
            }
            if (failing) {
                LOG.info("[{}] Status writes resumed", name);
                failing = false;
            }
        } catch (Throwable e) {
            failedFlushes.incrementAndGet();
            if (!failing) {
                LOG.warn("[{}] Cannot write statuses ({} keys waiting); retrying every {} ms: {}", name, pending.size(),
                        flushInterval.toMillis(), e.getMessage());
                failing = true;
            } else {
                LOG.debug("[{}] Status write failed again", name, e);
            }
        }
    }

    private void writeBatch(List<Change<K>> batch) {
        table.write(batch, keys);
        batchesWritten.incrementAndGet();
        for (Change<K> change : batch) {
            pending.remove(change.key(), change);
        }
    }

    /** The status table, as used in SQL. */
    public Identifier table() {
        return tableName;
    }

    /** How many keys have a change not yet written. */
    public int pending() {
        return pending.size();
    }

    /** How many batches were written so far. */
    public long batchesWritten() {
        return batchesWritten.get();
    }

    /** How many flushes failed so far (database unreachable, for instance). */
    public long failedFlushes() {
        return failedFlushes.get();
    }

    /**
     * Writes what is pending now, on the writer's thread, and waits for it (at most the query
     * timeout plus a second). Failures are logged, not thrown; changes that could not be written
     * stay pending.
     *
     * @return true if nothing is pending afterwards
     */
    public boolean flushNow() {
        try {
            submit(this::flush).get(queryTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("[{}] Flushing statuses did not finish: {}", name, e.toString());
        }
        return pending.isEmpty();
    }

    /** Writes what is pending (bounded wait), then stops the writer's thread. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        flushNow();
        closed = true;
        timer.cancel(false);
        executor.shutdown();
        if (!pending.isEmpty()) {
            LOG.warn("[{}] Closed with {} status change(s) unwritten", name, pending.size());
        }
    }

    /**
     * Options of a {@link StatusWriter}. Setters validate at once; not thread-safe.
     *
     * @param <K> the key type
     */
    public static final class Builder<K> {
        private final DataSource dataSource;
        private Identifier table = Identifier.of(DEFAULT_TABLE);
        private String node = defaultNode();
        private Function<? super K, String> keys = String::valueOf;
        private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Duration queryTimeout = JdbcTable.DEFAULT_QUERY_TIMEOUT;
        private Clock clock = Clock.system();
        private Dialect dialect;
        private ProcessDetails.Source<K> details;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** The status table (columns as created by the migration); default {@value #DEFAULT_TABLE}. */
        public Builder<K> table(String name) {
            this.table = Identifier.of(name);
            return this;
        }

        /** This node's name in the {@code node} column; default {@code pid@host}. */
        public Builder<K> node(String node) {
            Objects.requireNonNull(node, "node");
            if (node.isBlank() || node.length() > 255) {
                throw new IllegalArgumentException("node must be 1 to 255 characters and not blank, was '" + node + "'");
            }
            this.node = node;
            return this;
        }

        /** How keys are written to the {@code name} column; default {@code String.valueOf}. */
        public Builder<K> keys(KeyCodec<K> codec) {
            this.keys = Objects.requireNonNull(codec, "codec")::encode;
            return this;
        }

        /** Time between flushes; default {@link #DEFAULT_FLUSH_INTERVAL}. */
        public Builder<K> flushInterval(Duration interval) {
            this.flushInterval = OptionChecks.positive("flushInterval", interval);
            return this;
        }

        /** Keys per batch, and the number of waiting keys that triggers an early flush; default {@link #DEFAULT_BATCH_SIZE}. */
        public Builder<K> batchSize(int size) {
            this.batchSize = OptionChecks.atLeastOne("batchSize", size);
            return this;
        }

        /** The longest one batch may take (whole seconds, at least 1); default {@link JdbcTable#DEFAULT_QUERY_TIMEOUT}. */
        public Builder<K> queryTimeout(Duration timeout) {
            this.queryTimeout = OptionChecks.atLeastOneSecond("queryTimeout", timeout);
            return this;
        }

        /** The clock that times flushes and stamps {@code updated_at}; use the supervisor's. Default {@link Clock#system()}. */
        public Builder<K> clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The database's dialect; default: detected at {@link #build()}. */
        public Builder<K> dialect(Dialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * Also writes the {@code pid}, {@code process_started_at} and {@code exit_code} columns, as
         * {@code details} tells them for each status when it is recorded; default: those columns are
         * not written. For supervisors of operating-system processes.
         */
        public Builder<K> processDetails(ProcessDetails.Source<K> details) {
            this.details = Objects.requireNonNull(details, "details");
            return this;
        }

        /** The writer, with its thread started. */
        public StatusWriter<K> build() {
            Dialect effective = dialect != null ? dialect : Dialect.detect(dataSource);
            SqlText.checkNames(effective.sql(), table);
            LOG.info("StatusWriter {} ({}) as node {}: flush every {} or at {} keys", table, effective, node, flushInterval,
                    batchSize);
            return new StatusWriter<>(this, effective);
        }

        private static String defaultNode() {
            return ManagementFactory.getRuntimeMXBean().getName(); // "pid@host"
        }
    }
}
