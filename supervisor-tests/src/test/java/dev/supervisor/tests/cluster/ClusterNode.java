package dev.supervisor.tests.cluster;

import dev.supervisor.Clock;
import dev.supervisor.RestartPolicy;
import dev.supervisor.Supervisor;
import dev.supervisor.jdbc.Database;
import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.jdbc.LeaseOwnership;
import dev.supervisor.jdbc.SwitchableDataSource;
import java.sql.Connection;
import java.time.Duration;
import java.util.Set;

/**
 * One node of a test cluster in this JVM: its own connection pool (whose connections carry the
 * node's name as {@code application_name}, so the test can terminate them), reached through a
 * {@link SwitchableDataSource}, a {@link JdbcTable}, a {@link LeaseOwnership} and a supervisor of
 * {@link ClusterWorker}s.
 */
final class ClusterNode implements AutoCloseable {

    static final RestartPolicy QUICK_RESTARTS = RestartPolicy.DEFAULT.withBackoff(Duration.ofMillis(50), Duration.ofMillis(500));

    final String name;
    final Database database;
    final SwitchableDataSource dataSource;
    final JdbcTable<String, ClusterWorker> table;
    final LeaseOwnership<String> ownership;
    final Supervisor<String, ClusterWorker> supervisor;
    private boolean closed;

    private ClusterNode(String name, Database database, SwitchableDataSource dataSource, JdbcTable<String, ClusterWorker> table,
                        LeaseOwnership<String> ownership, Supervisor<String, ClusterWorker> supervisor) {
        this.name = name;
        this.database = database;
        this.dataSource = dataSource;
        this.table = table;
        this.ownership = ownership;
        this.supervisor = supervisor;
    }

    /** Starts (launches) a node named name; its workers record into activity and history (either may be null). */
    static ClusterNode start(String url, String schema, String name, Timing timing, Clock clock, Activity activity,
                             HistoryLog history) {
        return builder(url, schema, name, timing).clock(clock).activity(activity).history(history).start();
    }

    /** Like {@link #start(String, String, String, Timing, Clock, Activity, HistoryLog)}, with workers that make fenced writes (if not null). */
    static ClusterNode start(String url, String schema, String name, Timing timing, Clock clock, Activity activity,
                             HistoryLog history, FencedWrites fenced) {
        return builder(url, schema, name, timing).clock(clock).activity(activity).history(history).fenced(fenced).start();
    }

    /** A node named name on url's schema with these lease timings; the rest as the builder's setters say. */
    static Builder builder(String url, String schema, String name, Timing timing) {
        return new Builder(url, schema, name, timing);
    }

    /** The options of a test node; each defaults to what the plain {@code start} methods use. */
    static final class Builder {
        private final String url;
        private final String schema;
        private final String name;
        private final Timing timing;
        private Clock clock = Clock.system();
        private Activity activity;
        private HistoryLog history;
        private FencedWrites fenced;
        private Duration slowStop = Duration.ZERO;
        private Duration queryTimeout = LeaseOwnership.DEFAULT_QUERY_TIMEOUT;

        private Builder(String url, String schema, String name, Timing timing) {
            this.url = url;
            this.schema = schema;
            this.name = name;
            this.timing = timing;
        }

        Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Where the workers record their runs in this JVM (null: nowhere). */
        Builder activity(Activity activity) {
            this.activity = activity;
            return this;
        }

        /** Where the workers log their runs in the database (null: nowhere). */
        Builder history(HistoryLog history) {
            this.history = history;
            return this;
        }

        /** The workers' fenced writes (null: none). */
        Builder fenced(FencedWrites fenced) {
            this.fenced = fenced;
            return this;
        }

        /** A stop takes each worker a random time up to this long. */
        Builder slowStop(Duration slowStop) {
            this.slowStop = slowStop;
            return this;
        }

        /** The lease statements' timeout ({@link LeaseOwnership.Builder#queryTimeout}). */
        Builder queryTimeout(Duration queryTimeout) {
            this.queryTimeout = queryTimeout;
            return this;
        }

        ClusterNode start() {
            Database database = Database.builder(url).applicationName(name).schema(schema).poolSize(3)
                    .connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(10)).migrate(false).open();
            SwitchableDataSource dataSource = new SwitchableDataSource(database.dataSource());
            JdbcTable<String, ClusterWorker> table = JdbcTable.builder(dataSource,
                            row -> new ClusterWorker(row.key(), name, activity, history, fenced, slowStop))
                    .dialect(database.dialect())
                    .listenConnections(() -> {
                        dataSource.check();
                        return database.dedicatedConnections().open();
                    })
                    .clock(clock)
                    .build();
            LeaseOwnership<String> ownership = LeaseOwnership.builder(table).nodeName(name).clock(clock)
                    .ttl(timing.ttl()).renewInterval(timing.renew()).safetyMargin(timing.margin()).queryTimeout(queryTimeout)
                    .build();
            Supervisor<String, ClusterWorker> supervisor = Supervisor.builder(table).name(name).clock(clock)
                    .ownership(ownership).stopTimeout(timing.stopTimeout()).restartPolicy(QUICK_RESTARTS)
                    .reconcileInterval(Duration.ofSeconds(30)).build();
            supervisor.launch();
            return new ClusterNode(name, database, dataSource, table, ownership, supervisor);
        }
    }

    /** The keys with a process on this node (starting, running or stopping). */
    Set<String> keys() {
        return supervisor.keys();
    }

    /**
     * Cuts the node off from the database: new connections are refused and every backend it
     * holds (pool and change listener) is terminated, as a network partition would.
     */
    void cutOff(Connection admin) throws Exception {
        dataSource.off();
        try (var statement = admin.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + name + "'");
        }
    }

    /** Lets the node reach the database again. */
    void reconnect() {
        dataSource.on();
    }

    /** Closes gracefully: stops the processes, releases the leases, closes the pool. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        dataSource.on();
        supervisor.close();
        table.close();
        database.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
