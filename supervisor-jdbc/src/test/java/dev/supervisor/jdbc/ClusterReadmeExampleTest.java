package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.ProcessContext;
import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.testsupport.Waits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The cluster example of docs/cluster.md, run: two nodes on one database, each key on one of them, writes fenced. */
class ClusterReadmeExampleTest {

    /** Which node ran each key, and how many deposits were made. */
    static final ConcurrentMap<String, String> RAN_ON = new ConcurrentHashMap<>();
    static final AtomicInteger DEPOSITS = new AtomicInteger();

    // docs: cluster-worker
    record Worker(String account, String node, DataSource data, LeaseFence fence) implements Runner {
        @Override
        public void run(ProcessContext context) throws Exception {
            RAN_ON.put(account, node);
            context.ready();
            while (!context.awaitStop(Duration.ofMillis(50))) {
                // Written only while this node's lease on the key still has this process's epoch:
                fence.useTransaction(data, context, connection -> {
                    try (PreparedStatement deposit = connection.prepareStatement(
                            "UPDATE balances SET amount = amount + 1 WHERE account = ?")) {
                        deposit.setString(1, account);
                        deposit.executeUpdate();
                    }
                });
                DEPOSITS.incrementAndGet();
            }
        }
    }
    // docs: end

    private static Supervisor<String, Worker> node(JdbcTable<String, Worker> table, String name) {
        // docs: cluster-node
        Supervisor<String, Worker> supervisor = Supervisor.builder(table)
                .ownership(LeaseOwnership.builder(table).nodeName(name).build()) // ttl 9 s, renew 1 s, margin 2 s
                .build();
        supervisor.launch();
        // docs: end
        return supervisor;
    }

    @Test
    void twoNodesRunEachKeyOnceAndFenceTheirWrites() throws Exception {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Database one = Database.connect(url); Database two = Database.connect(url)) {
            try (Connection c = one.dataSource().getConnection()) {
                c.createStatement().execute("CREATE TABLE balances (account VARCHAR(64) PRIMARY KEY, amount INT)");
                c.createStatement().execute("INSERT INTO balances VALUES ('acct-1', 0), ('acct-2', 0)");
            }
            LeaseFence fence = LeaseFence.of(one);
            try (JdbcTable<String, Worker> tableOne = JdbcTable.builder(one, row -> new Worker(row.key(), "one", one.dataSource(), fence)).build();
                 JdbcTable<String, Worker> tableTwo = JdbcTable.builder(two, row -> new Worker(row.key(), "two", two.dataSource(), fence)).build();
                 Supervisor<String, Worker> nodeOne = node(tableOne, "one");
                 Supervisor<String, Worker> nodeTwo = node(tableTwo, "two")) {
                tableOne.put("acct-1", "");
                tableOne.put("acct-2", "");

                await().atMost(Waits.CLUSTER).until(() -> nodeOne.keys().size() + nodeTwo.keys().size() == 2
                        && DEPOSITS.get() > 4);
                Set<String> onBoth = new HashSet<>(nodeOne.keys());
                onBoth.retainAll(nodeTwo.keys());
                assertThat(onBoth).as("keys running on both nodes").isEmpty();
                assertThat(RAN_ON).containsOnlyKeys("acct-1", "acct-2");
            }
        }
    }
}
