package dev.supervisor.bench;

import dev.supervisor.jdbc.Database;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Cluster mode at scale, a scenario for users (not CI): {@code keys} rows over {@code nodes} node
 * JVMs ({@link ClusterScaleNode}, idle runners, the library's default lease settings) on one
 * PostgreSQL. It reports the time until every key runs; then, after a settling time (the launch
 * passes and claims of the last keys end), over a steady window, per node the
 * statements per second and the rows the cluster writes per second (from PostgreSQL's table
 * statistics), and the CPU PostgreSQL spends on the nodes' backends; then the failover time of
 * a node killed with kill -9 (until the survivors run every key again).
 *
 * <pre>
 * ./mvnw -B -q package -pl supervisor-bench -am -DskipTests
 * java -cp supervisor-bench/target/supervisor-bench.jar dev.supervisor.bench.ClusterScale \
 *     --keys 1000000 --nodes 4 --steady-seconds 30
 * </pre>
 *
 * Options: {@code --keys N} (default 1,000,000), {@code --nodes N} (4), {@code --settle-seconds N}
 * (60), {@code --steady-seconds N} (30), {@code --node-heap SIZE} (3g; the nodes run ZGC), {@code --url JDBC-URL} ({@code $SUPERVISOR_TEST_PG_URL}
 * or the project's test database). It works in schema {@code cluster_scale}, dropped and created
 * again. Reading PostgreSQL's CPU needs the server on this machine ({@code /proc}).
 */
public final class ClusterScale {

    private static final String SCHEMA = "cluster_scale";

    private final String url;
    private final int keys;
    private final int nodeCount;
    private final int steadySeconds;
    private final int settleSeconds;
    private final String nodeHeap;
    private final List<ScaleNode> nodes = new ArrayList<>();

    private ClusterScale(Arguments arguments) {
        this.url = arguments.url != null ? arguments.url : BenchDatabase.postgresUrl();
        this.keys = arguments.keys;
        this.nodeCount = arguments.nodes;
        this.steadySeconds = arguments.steadySeconds;
        this.settleSeconds = arguments.settleSeconds;
        this.nodeHeap = arguments.nodeHeap;
    }

    /** The command line, as picocli reads it. */
    @Command(name = "ClusterScale", sortOptions = false, mixinStandardHelpOptions = true,
            description = "N keys over several node JVMs on one PostgreSQL: time to all running, statements and rows"
                    + " written per node, PostgreSQL's CPU, and the failover of a killed node.")
    static final class Arguments {
        @Option(names = "--keys", paramLabel = "N", description = "keys (rows), at least 1; default ${DEFAULT-VALUE}")
        int keys = 1_000_000;

        @Option(names = "--nodes", paramLabel = "N", description = "node JVMs, at least 2; default ${DEFAULT-VALUE}")
        int nodes = 4;

        @Option(names = "--settle-seconds", paramLabel = "N",
                description = "wait after every key runs, before the steady window, at least 0; default ${DEFAULT-VALUE}")
        int settleSeconds = 60;

        @Option(names = "--steady-seconds", paramLabel = "N", description = "steady window, at least 1; default ${DEFAULT-VALUE}")
        int steadySeconds = 30;

        @Option(names = "--node-heap", paramLabel = "SIZE", description = "each node JVM's -Xmx; default ${DEFAULT-VALUE}")
        String nodeHeap = "3g";

        @Option(names = "--url", paramLabel = "JDBC-URL", description = "PostgreSQL; default $SUPERVISOR_TEST_PG_URL or the bench's")
        String url;
    }

    public static void main(String[] args) throws Exception {
        Arguments arguments = new Arguments();
        CommandLine line = new CommandLine(arguments);
        try {
            line.parseArgs(args);
            if (arguments.keys < 1 || arguments.nodes < 2 || arguments.steadySeconds < 1 || arguments.settleSeconds < 0) {
                throw new ParameterException(line, "--keys must be at least 1, --nodes at least 2, --settle-seconds at least 0,"
                        + " --steady-seconds at least 1");
            }
        } catch (ParameterException e) {
            System.err.println(e.getMessage());
            line.usage(System.err);
            System.exit(2);
        }
        if (line.isUsageHelpRequested() || line.isVersionHelpRequested()) {
            line.usage(System.out);
            return;
        }
        new ClusterScale(arguments).run();
    }

    private void run() throws Exception {
        try (Connection admin = DriverManager.getConnection(url); Statement statement = admin.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            statement.execute("CREATE SCHEMA " + SCHEMA);
        }
        try (Database database = Database.builder(url).schema(SCHEMA).open()) {
            // migrated
        }
        try (Connection admin = plain(); Statement statement = admin.createStatement()) {
            statement.execute("INSERT INTO supervisor_processes (name, payload) SELECT 'key-' || lpad(g::text, 7, '0'), 'idle'"
                    + " FROM generate_series(1, " + keys + ") g");
            statement.execute("ANALYZE supervisor_processes");
        }
        System.out.printf("cluster scale: %d keys over %d node JVMs on %s (schema %s)%n", keys, nodeCount, url, SCHEMA);
        try {
            long began = System.nanoTime();
            for (int i = 1; i <= nodeCount; i++) {
                nodes.add(ScaleNode.start("n" + i, url, SCHEMA, nodeHeap));
            }
            long allRunning = untilRunning(nodes, began);
            System.out.printf("all %d keys running %.1f s after the first node was started (per node: %s)%n", keys,
                    allRunning / 1e9, runningPerNode(nodes));
            steady();
            failover();
        } finally {
            for (ScaleNode node : nodes) {
                node.close();
            }
            try (Connection admin = DriverManager.getConnection(url); Statement statement = admin.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    /**
     * Waits until the given nodes together run every key; returns the nanoseconds since began.
     *
     * @throws IllegalStateException if one of them ended meanwhile (its log says why)
     */
    private long untilRunning(List<ScaleNode> cluster, long began) throws InterruptedException {
        long lastReport = System.nanoTime();
        while (cluster.stream().mapToLong(ScaleNode::running).sum() != keys) {
            for (ScaleNode node : cluster) {
                if (!node.isAlive()) {
                    throw new IllegalStateException("node " + node.name + " ended; see " + ScaleNode.logOf(node.name));
                }
            }
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(10)) {
                System.out.printf("  ... %d of %d keys running (%s)%n", cluster.stream().mapToLong(ScaleNode::running).sum(), keys,
                        runningPerNode(cluster));
                lastReport = System.nanoTime();
            }
            Thread.sleep(100); // polling the nodes' reports, which arrive once a second
        }
        return System.nanoTime() - began;
    }

    /** What a node has counted so far: statements on the table's and the leases' pools, and its passes. */
    record Counters(long table, long leases, long fullPasses, long incrementalPasses) {
        Counters minus(Counters earlier) {
            return new Counters(table - earlier.table, leases - earlier.leases, fullPasses - earlier.fullPasses,
                    incrementalPasses - earlier.incrementalPasses);
        }
    }

    private void steady() throws Exception {
        if (settleSeconds > 0) {
            System.out.printf("settling for %d s (the last launch passes and claims end)%n", settleSeconds);
            Thread.sleep(TimeUnit.SECONDS.toMillis(settleSeconds));
        }
        Map<ScaleNode, Counters> before = new HashMap<>();
        nodes.forEach(node -> before.put(node, node.counters()));
        Map<String, Long> writesBefore = tableWrites();
        Map<Integer, Long> cpuBefore = PostgresCpu.ticks(url, "scale-%");
        long began = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(steadySeconds)); // the measuring window
        double seconds = (System.nanoTime() - began) / 1e9;
        Map<Integer, Long> cpuAfter = PostgresCpu.ticks(url, "scale-%");
        long cpu = PostgresCpu.between(cpuBefore, cpuAfter);
        long backends = cpuAfter.keySet().stream().filter(cpuBefore::containsKey).count();
        Map<String, Long> writesAfter = tableWrites();
        System.out.printf("steady state over %.0f s:%n", seconds);
        for (ScaleNode node : nodes) {
            Counters counted = node.counters().minus(before.get(node));
            System.out.printf("  %s: %d keys, %.1f statements/s (table %.1f, leases %.1f); passes: %d full, %d incremental%n",
                    node.name, node.running(), (counted.table() + counted.leases()) / seconds, counted.table() / seconds,
                    counted.leases() / seconds, counted.fullPasses(), counted.incrementalPasses());
        }
        long totalRows = 0;
        for (Map.Entry<String, Long> table : writesAfter.entrySet()) {
            long rows = table.getValue() - writesBefore.getOrDefault(table.getKey(), 0L);
            totalRows += rows;
            System.out.printf("  rows written to %s: %.1f/s%n", table.getKey(), rows / seconds);
        }
        System.out.printf("  rows written per node: %.2f/s; PostgreSQL CPU on the nodes' backends: %s%n",
                totalRows / seconds / nodes.size(), cpu < 0 ? "unavailable (server not on this machine)"
                        : String.format("%.1f%% of one core (%d backends)", 100.0 * cpu / PostgresCpu.TICKS_PER_SECOND / seconds,
                                backends));
    }

    private void failover() throws Exception {
        ScaleNode victim = nodes.getFirst();
        long held = victim.running();
        victim.kill();
        long killed = System.nanoTime();
        List<ScaleNode> survivors = nodes.subList(1, nodes.size());
        long took = untilRunning(survivors, killed);
        System.out.printf("kill -9 of %s holding %d keys: every key running again %.1f s later (per node: %s)%n", victim.name,
                held, took / 1e9, runningPerNode(survivors));
    }

    /** Rows inserted, updated and deleted so far per cluster table of the scenario's schema. */
    private Map<String, Long> tableWrites() throws SQLException {
        Map<String, Long> writes = new HashMap<>();
        try (Connection connection = plain(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables"
                     + " WHERE schemaname = '" + SCHEMA + "' AND relname IN ('supervisor_leases', 'supervisor_nodes')")) {
            while (rs.next()) {
                writes.put(rs.getString(1), rs.getLong(2));
            }
        }
        return writes;
    }

    private static String runningPerNode(List<ScaleNode> cluster) {
        return String.join(", ", cluster.stream().map(n -> n.name + "=" + n.running()).toList());
    }

    private Connection plain() throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        connection.setSchema(SCHEMA);
        return connection;
    }

    /** A node JVM and the figures it reports. */
    private static final class ScaleNode implements AutoCloseable {
        final String name;
        private final Process process;
        private volatile long running;
        private volatile long tableStatements;
        private volatile long leaseStatements;
        private volatile long fullPasses;
        private volatile long incrementalPasses;

        private ScaleNode(String name, Process process) {
            this.name = name;
            this.process = process;
        }

        static Path logOf(String name) {
            return Path.of("target", "cluster-scale", name + ".log");
        }

        static ScaleNode start(String name, String url, String schema, String heap) throws Exception {
            Path log = logOf(name);
            Files.createDirectories(log.getParent());
            // ZGC: with G1 on a busy 2-core machine, young collections of a node holding 250,000 parked virtual
            // threads paused it for about 4 s each, and a pause longer than the safety window stops every process.
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                    "-XX:+UseZGC",
                    "-cp", System.getProperty("java.class.path"), ClusterScaleNode.class.getName(), url, schema, name)
                    .redirectError(log.toFile()).start();
            ScaleNode node = new ScaleNode(name, process);
            Thread.ofVirtual().start(node::read);
            return node;
        }

        private void read() {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("STATS ")) {
                        String[] parts = line.split(" ");
                        running = Long.parseLong(parts[1]);
                        tableStatements = Long.parseLong(parts[2]);
                        leaseStatements = Long.parseLong(parts[3]);
                        fullPasses = Long.parseLong(parts[4]);
                        incrementalPasses = Long.parseLong(parts[5]);
                    }
                }
            } catch (java.io.IOException e) {
                // the node ended
            }
        }

        long running() {
            return process.isAlive() ? running : 0;
        }

        boolean isAlive() {
            return process.isAlive();
        }

        Counters counters() {
            return new Counters(tableStatements, leaseStatements, fullPasses, incrementalPasses);
        }

        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                process.getOutputStream().close();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }
    }
}
