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
        return start(url, schema, name, timing, clock, activity, history, null);
    }

    /** Like {@link #start(String, String, String, Timing, Clock, Activity, HistoryLog)}, with workers that make fenced writes (if not null). */
    static ClusterNode start(String url, String schema, String name, Timing timing, Clock clock, Activity activity,
                             HistoryLog history, FencedWrites fenced) {
        Database database = Database.builder(url).applicationName(name).schema(schema).poolSize(3)
                .connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(10)).migrate(false).open();
        SwitchableDataSource dataSource = new SwitchableDataSource(database.dataSource());
        JdbcTable<String, ClusterWorker> table = JdbcTable.builder(dataSource,
                        row -> new ClusterWorker(row.key(), name, activity, history, fenced))
                .dialect(database.dialect())
                .listenConnections(() -> {
                    dataSource.check();
                    return database.dedicatedConnections().open();
                })
                .clock(clock)
                .build();
        LeaseOwnership<String> ownership = LeaseOwnership.builder(table).nodeName(name).clock(clock)
                .ttl(timing.ttl()).renewInterval(timing.renew()).safetyMargin(timing.margin()).build();
        Supervisor<String, ClusterWorker> supervisor = Supervisor.builder(table).name(name).clock(clock)
                .ownership(ownership).stopTimeout(timing.stopTimeout()).restartPolicy(QUICK_RESTARTS)
                .reconcileInterval(Duration.ofSeconds(30)).build();
        supervisor.launch();
        return new ClusterNode(name, database, dataSource, table, ownership, supervisor);
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
