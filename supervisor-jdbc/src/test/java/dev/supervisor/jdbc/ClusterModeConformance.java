package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cluster mode end to end: real supervisors, each with a {@link LeaseOwnership} of its own (the
 * nodes share one JVM and one database), short timings. Every key runs on exactly one node, with
 * key columns of every type a key codec binds. One subclass per database.
 */
@Timeout(60)
abstract class ClusterModeConformance {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration TTL = Duration.ofSeconds(4);
    static final Duration RENEW = Duration.ofMillis(250);
    static final Duration MARGIN = Duration.ofSeconds(2);

    /** The migrated database under test. */
    abstract Database database();

    /** Runs statements on a connection of their own. */
    abstract void sql(String... statements);

    /** The first column of the first row of a query, as a number. */
    abstract long number(String query);

    /** Every process that runs: key (as text) to the nodes running it now; a key on two nodes is a failure. */
    final Map<String, List<String>> running = new ConcurrentHashMap<>();
    /** Keys seen running on two nodes at once. */
    final List<String> twice = new CopyOnWriteArrayList<>();
    final List<Node<?>> nodes = new ArrayList<>();

    /** Closes every node, the last started first; subclasses call it before closing the database. */
    void closeNodes() {
        nodes.reversed().forEach(Node::close);
    }

    /** One node: its own table object, lease ownership and supervisor, started. */
    final class Node<K> implements AutoCloseable {
        final String name;
        final JdbcTable<K, Runner> table;
        final LeaseOwnership<K> ownership;
        final Supervisor<K, Runner> supervisor;
        private boolean closed;

        Node(String name, Function<Function<K, Runner>, JdbcTable<K, Runner>> tables) {
            this.name = name;
            this.table = tables.apply(this::runner);
            this.ownership = LeaseOwnership.builder(table).nodeName(name).ttl(TTL).renewInterval(RENEW).safetyMargin(MARGIN)
                    .build();
            this.supervisor = Supervisor.builder(table).ownership(ownership).reconcileInterval(Duration.ofMillis(300))
                    .stopTimeout(Duration.ofSeconds(5)).build();
            nodes.add(this);
            supervisor.launch();
        }

        private Runner runner(K key) {
            String text = String.valueOf(key);
            return context -> {
                List<String> on = running.computeIfAbsent(text, k -> new CopyOnWriteArrayList<>());
                synchronized (running) {
                    on.add(name);
                    if (on.size() > 1) {
                        twice.add(text + " on " + on);
                    }
                }
                try {
                    context.ready();
                    context.awaitStop();
                } finally {
                    synchronized (running) {
                        on.remove(name);
                    }
                }
            };
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                supervisor.close();
                table.close();
            }
        }
    }

    /** Whether every key (as text) runs, each on exactly one node, and nothing else runs. */
    boolean eachRunsOnce(List<String> keys) {
        long runningKeys = running.values().stream().filter(on -> !on.isEmpty()).count();
        return runningKeys == keys.size() && keys.stream().allMatch(key -> running.getOrDefault(key, List.of()).size() == 1);
    }

    /** The node (name) running key, or null. */
    String nodeOf(String key) {
        List<String> on = running.getOrDefault(key, List.of());
        return on.isEmpty() ? null : on.getFirst();
    }

    @Test
    void bigintKeysRunOnceEachAcrossNodesAndMoveWhenANodeCloses() {
        sql("CREATE TABLE jobs (job_id BIGINT PRIMARY KEY, spec VARCHAR(20) NOT NULL)");
        runOnceEachAcrossNodes(runner -> JdbcTable.builder(database(), KeyCodec.LONG, (Row<Long> row) -> runner.apply(row.key()))
                .table("jobs").keyColumn("job_id").payloadColumn("spec").withoutRevisionColumn().build(),
                LongStream.rangeClosed(1, 12).boxed().toList());
    }

    @Test
    void uuidKeysRunOnceEachAcrossNodesAndMoveWhenANodeCloses() {
        sql("CREATE TABLE tasks (task_id UUID PRIMARY KEY, spec VARCHAR(20) NOT NULL)");
        runOnceEachAcrossNodes(runner -> JdbcTable.builder(database(), KeyCodec.UUID, (Row<UUID> row) -> runner.apply(row.key()))
                .table("tasks").keyColumn("task_id").payloadColumn("spec").withoutRevisionColumn().build(),
                LongStream.rangeClosed(1, 12).mapToObj(i -> UUID.randomUUID()).toList());
    }

    /**
     * Two nodes share the rows (each key on one node, both nodes busy); a deleted row's lease is
     * released; when a node closes, the other runs every key.
     */
    private <K> void runOnceEachAcrossNodes(Function<Function<K, Runner>, JdbcTable<K, Runner>> tables, List<K> keys) {
        Node<K> first = new Node<>("n1", tables);
        keys.forEach(key -> first.table.put(key, "x"));
        Node<K> second = new Node<>("n2", tables);
        List<String> texts = new ArrayList<>(keys.stream().map(String::valueOf).toList());

        await().atMost(WAIT).until(() -> eachRunsOnce(texts) && !first.ownership.keys().isEmpty()
                && !second.ownership.keys().isEmpty());
        assertThat(number("SELECT COUNT(*) FROM supervisor_leases")).isEqualTo(keys.size());

        K deleted = keys.getFirst();
        first.table.remove(deleted);
        texts.remove(String.valueOf(deleted));
        await().atMost(WAIT).until(() -> number("SELECT COUNT(*) FROM supervisor_leases WHERE name = '" + deleted + "'") == 0
                && eachRunsOnce(texts));

        first.close();
        await().atMost(WAIT).until(() -> eachRunsOnce(texts) && second.ownership.keys().size() == texts.size());
        assertThat(texts).allSatisfy(key -> assertThat(nodeOf(key)).isEqualTo("n2"));
        assertThat(twice).isEmpty();
    }
}
