package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.GroupPolicy;
import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.testsupport.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Callable;
import java.util.function.Function;
import javax.sql.DataSource;
import org.awaitility.core.ConditionTimeoutException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cluster mode end to end: real supervisors, each with a {@link LeaseOwnership} of its own (the
 * nodes share one JVM and one database), short timings. Every key runs on exactly one node, with
 * key columns of every type a key codec binds; the members of a group all run on one node. One
 * subclass per database.
 */
@Timeout(60)
abstract class ClusterModeConformance {

    static final Duration WAIT = Waits.CLUSTER;
    static final Duration TTL = Duration.ofSeconds(4);
    static final Duration RENEW = Duration.ofMillis(250);
    static final Duration MARGIN = Duration.ofSeconds(2);

    /** The migrated database under test. */
    abstract Database database();

    /** Runs statements on a connection of their own. */
    abstract void sql(String... statements);

    /** The first column of the first row of a query, as a number. */
    abstract long number(String query);

    /** The first column of every row of a query, as text. */
    abstract List<String> strings(String query);

    /** Waits until condition holds; on timeout, fails with what runs where and the lease tables. */
    void awaitUntil(Callable<Boolean> condition) {
        try {
            await().atMost(WAIT).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nrunning: " + running + "\nleases: "
                    + strings("SELECT name || ' ' || owner || ' ' || epoch FROM supervisor_leases ORDER BY name")
                    + "\ngroup leases: " + strings("SELECT group_name || ' ' || owner || ' ' || epoch FROM supervisor_group_leases")
                    + "\nnodes: " + strings("SELECT node FROM supervisor_nodes"), e);
        }
    }

    /** Every process that runs: key (as text) to the nodes running it now; a key on two nodes is a failure. */
    final Map<String, List<String>> running = new ConcurrentHashMap<>();
    /** Keys seen running on two nodes at once. */
    final List<String> twice = new CopyOnWriteArrayList<>();
    final List<Node<?>> nodes = new ArrayList<>();
    /** The group of each grouped key (as text), as the test put it in the table. */
    final Map<String, String> groupOf = new ConcurrentHashMap<>();
    /** Members seen starting while another member of their group ran on another node. */
    final List<String> split = new CopyOnWriteArrayList<>();
    /** How often each key (as text) started. */
    final Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();
    /** The epoch each key's latest process was given. */
    final Map<String, Long> epochs = new ConcurrentHashMap<>();
    /** Keys whose next run fails once ready. */
    final Set<String> failOnce = ConcurrentHashMap.newKeySet();

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
            this(name, tables, null);
        }

        /** A node whose lease statements and heartbeats go through leaseData (null: the table's data source). */
        Node(String name, Function<Function<K, Runner>, JdbcTable<K, Runner>> tables, DataSource leaseData) {
            this.name = name;
            this.table = tables.apply(this::runner);
            LeaseOwnership.Builder<K> leases = LeaseOwnership.builder(table).nodeName(name).ttl(TTL).renewInterval(RENEW)
                    .safetyMargin(MARGIN);
            this.ownership = (leaseData == null ? leases : leases.dataSource(leaseData)).build();
            this.supervisor = Supervisor.builder(table).ownership(ownership).reconcileInterval(Duration.ofMillis(300))
                    .stopTimeout(Duration.ofSeconds(5)).group("pipe", GroupPolicy.oneForAll(5, Duration.ofMinutes(1))).build();
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
                    String group = groupOf.get(text);
                    groupOf.forEach((other, otherGroup) -> {
                        String where = nodeOf(other);
                        if (otherGroup.equals(group) && !other.equals(text) && where != null && !where.equals(name)) {
                            split.add(text + " started on " + name + " while " + other + " of group " + group + " ran on " + where);
                        }
                    });
                }
                starts.computeIfAbsent(text, k -> new AtomicInteger()).incrementAndGet();
                epochs.put(text, context.epoch());
                try {
                    context.ready();
                    if (failOnce.remove(text)) {
                        throw new IllegalStateException("failing once, as the test asked");
                    }
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

        awaitUntil(() -> eachRunsOnce(texts) && !first.ownership.keys().isEmpty()
                && !second.ownership.keys().isEmpty());
        assertThat(number("SELECT COUNT(*) FROM supervisor_leases")).isEqualTo(keys.size());

        K deleted = keys.getFirst();
        first.table.remove(deleted);
        texts.remove(String.valueOf(deleted));
        awaitUntil(() -> number("SELECT COUNT(*) FROM supervisor_leases WHERE name = '" + deleted + "'") == 0
                && eachRunsOnce(texts));

        first.close();
        awaitUntil(() -> eachRunsOnce(texts) && second.ownership.keys().size() == texts.size());
        assertThat(texts).allSatisfy(key -> assertThat(nodeOf(key)).isEqualTo("n2"));
        assertThat(twice).isEmpty();
    }

    /** A node on the shipped table (which has group columns), keyed by name. */
    Node<String> groupNode(String name) {
        return groupNode(name, null);
    }

    /** A node on the shipped table whose leases go through leaseData. */
    Node<String> groupNode(String name, DataSource leaseData) {
        return new Node<>(name, runner -> JdbcTable.builder(database(), (Row<String> row) -> runner.apply(row.key())).build(),
                leaseData);
    }

    /** Inserts a row of the shipped table, in group (null: none) at position. */
    void insert(String key, String group, int position) {
        if (group != null) {
            groupOf.put(key, group);
        }
        sql("INSERT INTO supervisor_processes (name, payload, group_name, group_position) VALUES ('" + key + "', 'x', "
                + (group == null ? "NULL" : "'" + group + "'") + ", " + position + ")");
    }

    /** Whether every member of every group runs on one node. */
    boolean groupsTogether() {
        Map<String, Set<String>> nodesOfGroup = new HashMap<>();
        groupOf.forEach((key, group) -> nodesOfGroup.computeIfAbsent(group, g -> new HashSet<>()).add(nodeOf(key)));
        return nodesOfGroup.values().stream().allMatch(where -> where.size() == 1 && !where.contains(null));
    }

    /** The node running group's members (they run on one node). */
    String nodeOfGroup(String group) {
        return groupOf.entrySet().stream().filter(e -> e.getValue().equals(group)).map(e -> nodeOf(e.getKey()))
                .findFirst().orElseThrow();
    }

    /**
     * Three nodes, four groups of 2 to 4 members and ungrouped rows inserted while the nodes
     * claim: each group runs wholly on one node, and the groups spread; a new member runs on
     * its group's node; a row moved into a group follows it; when the node of a group closes,
     * the whole group moves; deleting a group's last member releases the group's lease.
     */
    @Test
    void theMembersOfAGroupRunOnOneNode() {
        Node<String> first = groupNode("n1");
        Node<String> second = groupNode("n2");
        Node<String> third = groupNode("n3");
        List<String> keys = new ArrayList<>();
        int[] sizes = {2, 3, 4, 3};
        for (int g = 0; g < sizes.length; g++) {
            for (int m = 0; m < sizes[g]; m++) {
                String key = "g" + g + "-m" + m;
                insert(key, "g" + g, m);
                keys.add(key);
            }
        }
        for (int u = 0; u < 6; u++) {
            insert("u" + u, null, 0);
            keys.add("u" + u);
        }
        awaitUntil(() -> eachRunsOnce(keys) && groupsTogether());
        assertThat(Set.of(first, second, third)).filteredOn(node -> !node.ownership.keys().isEmpty()).hasSizeGreaterThan(1);
        assertThat(number("SELECT COUNT(*) FROM supervisor_group_leases")).isEqualTo(sizes.length);

        insert("g1-new", "g1", 9);
        keys.add("g1-new");
        sql("UPDATE supervisor_processes SET group_name = 'g2', group_position = 9 WHERE name = 'u0'");
        groupOf.put("u0", "g2");
        awaitUntil(() -> eachRunsOnce(keys) && groupsTogether());
        assertThat(nodeOf("g1-new")).isEqualTo(nodeOfGroup("g1"));

        String holder = nodeOfGroup("g2");
        Node<String> closing = Set.of(first, second, third).stream().filter(node -> node.name.equals(holder)).findFirst()
                .orElseThrow();
        closing.close();
        awaitUntil(() -> eachRunsOnce(keys) && groupsTogether() && !nodeOfGroup("g2").equals(holder));

        sql("DELETE FROM supervisor_processes WHERE group_name = 'g0'");
        keys.removeIf(key -> key.startsWith("g0-"));
        groupOf.keySet().removeIf(key -> key.startsWith("g0-"));
        awaitUntil(() -> number("SELECT COUNT(*) FROM supervisor_group_leases WHERE group_name = 'g0'") == 0
                && eachRunsOnce(keys));
        assertThat(twice).isEmpty();
        assertThat(split).isEmpty();
    }

    /** A ONE_FOR_ALL group restarts all its members, on its node, when one fails. */
    @Test
    void aOneForAllGroupRestartsTogetherOnItsNode() {
        Node<String> first = groupNode("n1");
        Node<String> second = groupNode("n2");
        List<String> keys = List.of("pipe-a", "pipe-b", "pipe-c", "u0", "u1", "u2");
        insert("pipe-a", "pipe", 1);
        insert("pipe-b", "pipe", 2);
        insert("pipe-c", "pipe", 3);
        insert("u0", null, 0);
        insert("u1", null, 0);
        insert("u2", null, 0);
        awaitUntil(() -> eachRunsOnce(keys) && groupsTogether() && !first.ownership.keys().isEmpty()
                && !second.ownership.keys().isEmpty());
        String node = nodeOfGroup("pipe");
        int a = starts.get("pipe-a").get();
        int b = starts.get("pipe-b").get();
        int c = starts.get("pipe-c").get();

        failOnce.add("pipe-b");
        (node.equals(first.name) ? first : second).supervisor.restart("pipe-b"); // then it fails: the group restarts

        awaitUntil(() -> starts.get("pipe-a").get() == a + 1 && starts.get("pipe-b").get() == b + 2
                && starts.get("pipe-c").get() == c + 1 && eachRunsOnce(keys));
        assertThat(nodeOfGroup("pipe")).isEqualTo(node);
        assertThat(groupsTogether()).isTrue();
        for (String member : List.of("pipe-a", "pipe-b", "pipe-c")) { // what LeaseFence checks: the member's own lease
            assertThat(epochs.get(member)).as(member)
                    .isEqualTo(number("SELECT epoch FROM supervisor_leases WHERE name = '" + member + "'"));
        }
        assertThat(twice).isEmpty();
        assertThat(split).isEmpty();
    }

    /**
     * A node that holds groups loses its database (its heartbeats fail): it stops its processes
     * before its incarnation expires, and the other node then takes each of its groups over
     * whole, with new group epochs. The second node got its groups by a fair-share hand-over
     * from the first, which held every row at first.
     */
    @Test
    void theGroupsOfADeadNodeMoveWhole() {
        insert("g0-a", "g0", 1);
        insert("g0-b", "g0", 2);
        insert("g0-c", "g0", 3);
        insert("g1-a", "g1", 1);
        insert("g1-b", "g1", 2);
        insert("g1-c", "g1", 3);
        insert("g2-a", "g2", 1);
        insert("g2-b", "g2", 2);
        insert("u0", null, 0);
        insert("u1", null, 0);
        List<String> keys = List.of("g0-a", "g0-b", "g0-c", "g1-a", "g1-b", "g1-c", "g2-a", "g2-b", "u0", "u1");
        Node<String> first = groupNode("n1");
        awaitUntil(() -> eachRunsOnce(keys));
        SwitchableDataSource cut = new SwitchableDataSource(database().dataSource());
        Node<String> second = groupNode("n2", cut);
        awaitUntil(() -> eachRunsOnce(keys) && groupsTogether()
                && groupOf.values().stream().anyMatch(group -> nodeOfGroup(group).equals("n2")));
        String epochs = "SELECT SUM(epoch) FROM supervisor_group_leases";
        long before = number(epochs);

        cut.off();

        awaitUntil(() -> eachRunsOnce(keys) && keys.stream().allMatch(key -> "n1".equals(nodeOf(key))));
        assertThat(number(epochs)).isGreaterThan(before);
        assertThat(number("SELECT COUNT(*) FROM supervisor_group_leases WHERE owner = '" + first.ownership.nodeId() + "'"))
                .isEqualTo(3);
        assertThat(twice).isEmpty();
        assertThat(split).isEmpty();
        second.close(); // cut off: its leases are gone already
        cut.on();
    }
}
