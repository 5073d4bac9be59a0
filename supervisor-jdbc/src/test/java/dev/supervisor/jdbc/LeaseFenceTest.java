package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervisor.testing.ManualClock;
import dev.supervisor.testsupport.Waits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A worker's writes fenced by its epoch: made while the lease is current, refused once another claim replaced it. */
class LeaseFenceTest {

    private final H2Memory h2 = new H2Memory();
    private final JdbcTable<String, String> table = JdbcTable.builder(h2.database, row -> row.payload()).build();
    private final LeaseOwnership<String> node = LeaseOwnership.builder(table).clock(new ManualClock())
            .ttl(Duration.ofMinutes(1)).safetyMargin(Duration.ofSeconds(10)).renewInterval(Duration.ofSeconds(1)).build();
    private final LeaseFence fence = LeaseFence.of(h2.database);

    @AfterEach
    void close() {
        node.close();
        h2.close();
    }

    private long claimed(String key) {
        h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('" + key + "', 'x')",
                "CREATE TABLE balances (account VARCHAR(64) PRIMARY KEY, amount INT)",
                "INSERT INTO balances VALUES ('" + key + "', 0)");
        node.open(new RecordingControl());
        await().atMost(Waits.DATABASE).until(() -> node.tryAcquire(key).isPresent());
        return node.tryAcquire(key).getAsLong();
    }

    /** The fenced write of docs/cluster.md, in its two forms. Returns how many rows the condition form changed. */
    private int deposit(String account, long epoch) throws SQLException {
        // docs: fenced-write
        try (Connection connection = h2.database.dataSource().getConnection();
             PreparedStatement deposit = connection.prepareStatement(
                     "UPDATE balances SET amount = amount + 1 WHERE account = ? AND " + fence.condition())) {
            deposit.setString(1, account);
            deposit.setString(2, account); // the lease's key
            deposit.setLong(3, epoch);     // context.epoch()
            return deposit.executeUpdate(); // 0: the lease moved on, nothing written
        }
        // docs: end
    }

    @Test
    void writesWhileTheLeaseIsCurrentAndRefusesThemAfterAnotherClaim() throws Exception {
        long epoch = claimed("acct-1");

        assertThat(deposit("acct-1", epoch)).isEqualTo(1);
        int total = fence.inTransaction(h2.database.dataSource(), "acct-1", epoch, connection -> {
            connection.createStatement().executeUpdate("UPDATE balances SET amount = amount + 1 WHERE account = 'acct-1'");
            return 2;
        });
        assertThat(total).isEqualTo(2);
        assertThat(h2.number("SELECT amount FROM balances")).isEqualTo(2);

        h2.sql("UPDATE supervisor_leases SET owner = 'another-node', epoch = epoch + 1000 WHERE name = 'acct-1'");

        assertThat(deposit("acct-1", epoch)).as("the condition form writes nothing").isZero();
        assertThatThrownBy(() -> fence.inTransaction(h2.database.dataSource(), "acct-1", epoch, connection -> {
            connection.createStatement().executeUpdate("UPDATE balances SET amount = amount + 1 WHERE account = 'acct-1'");
            return null;
        })).isInstanceOf(LeaseLostException.class).hasMessageContaining("acct-1").hasMessageContaining("epoch " + epoch);
        assertThat(h2.number("SELECT amount FROM balances")).isEqualTo(2);
    }

    @Test
    void aLeaseOfAnExpiredIncarnationFencesToo() throws Exception {
        long epoch = claimed("acct-1");
        h2.sql("UPDATE supervisor_nodes SET expires_at = DATEADD(SECOND, -1, CURRENT_TIMESTAMP)");

        assertThat(deposit("acct-1", epoch)).isZero();
        try (Connection connection = h2.database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            assertThat(fence.lock(connection, "acct-1", epoch)).isFalse();
            connection.rollback();
        }
    }
}
