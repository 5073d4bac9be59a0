package dev.supervisor.bench;

import dev.supervisor.PassReport;
import dev.supervisor.Supervisor;
import dev.supervisor.SupervisorListener;
import dev.supervisor.jdbc.Database;
import dev.supervisor.jdbc.Dialect;
import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.jdbc.LeaseOwnership;
import dev.supervisor.Runner;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One node of {@link ClusterScale}, in a JVM of its own: {@code ClusterScaleNode <url> <schema>
 * <name>}. Runs an idle runner per key it holds (ready, then waits for its stop), with the
 * library's default lease settings; every connection carries {@code application_name
 * scale-<name>}. The leases have a small pool of their own, as docs/cluster.md advises for a
 * data source that is not a bare HikariCP pool (the statement counter wraps the pools): the
 * heartbeat never waits for a connection behind the table's reads. Prints {@code READY <node id>} once launched, then every second {@code STATS
 * <running processes> <statements executed so far>}; closes gracefully when its standard input
 * ends.
 */
public final class ClusterScaleNode {

    private ClusterScaleNode() {
    }

    public static void main(String[] args) throws IOException {
        String url = args[0];
        String schema = args[1];
        String name = args[2];
        AtomicInteger running = new AtomicInteger();
        Runner idle = context -> {
            running.incrementAndGet();
            try {
                context.ready();
                context.awaitStop();
            } finally {
                running.decrementAndGet();
            }
        };
        String named = url + (url.contains("?") ? "&" : "?") + "ApplicationName=scale-" + name;
        // A long connection timeout: the nodes start while the server still digests the million-row insert.
        Duration connecting = Duration.ofSeconds(30);
        try (Database database = Database.builder(named).schema(schema).poolSize(4).connectionTimeout(connecting)
                     .migrate(false).open();
             Database leaseDatabase = Database.builder(named).schema(schema).poolSize(2).connectionTimeout(connecting)
                     .migrate(false).open()) {
            CountingDataSource counted = new CountingDataSource(database.dataSource());
            CountingDataSource leaseCounted = new CountingDataSource(leaseDatabase.dataSource());
            JdbcTable<String, Runner> table = JdbcTable.builder(counted, row -> idle).dialect(Dialect.POSTGRESQL)
                    .listenConnections(database.dedicatedConnections()).build();
            LeaseOwnership<String> ownership = LeaseOwnership.builder(table).nodeName(name).dataSource(leaseCounted).build();
            AtomicLong fullPasses = new AtomicLong();
            AtomicLong incrementalPasses = new AtomicLong();
            Supervisor<String, Runner> supervisor = Supervisor.builder(table).name(name).ownership(ownership)
                    .initialWait(Duration.ofMillis(1)).listener(new SupervisorListener<>() {
                        @Override
                        public void passCompleted(PassReport<String> report) {
                            (report.incremental() ? incrementalPasses : fullPasses).incrementAndGet();
                        }
                    }).build();
            ScheduledExecutorService stats = Executors.newSingleThreadScheduledExecutor();
            stats.scheduleAtFixedRate(() -> {
                System.out.println("STATS " + running.get() + " " + counted.statements() + " " + leaseCounted.statements() + " "
                        + fullPasses.get() + " " + incrementalPasses.get());
                System.out.flush();
            }, 0, 1, TimeUnit.SECONDS);
            supervisor.launch(); // restores the keys it wins meanwhile
            System.out.println("READY " + ownership.nodeId());
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // runs until the scenario closes our standard input (or kills us)
            }
            stats.shutdownNow();
            supervisor.close();
            table.close();
        }
    }
}
