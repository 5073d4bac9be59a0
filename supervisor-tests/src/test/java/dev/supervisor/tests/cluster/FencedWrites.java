package dev.supervisor.tests.cluster;

import dev.supervisor.ProcessContext;
import dev.supervisor.jdbc.Dialect;
import dev.supervisor.jdbc.LeaseFence;
import dev.supervisor.jdbc.LeaseLostException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * A worker's fenced writes, as a real worker would make them: in a loop, a transaction that
 * locks the lease ({@link LeaseFence}), records (key, epoch, node, the database's clock) in
 * {@code fenced_writes}, holds the transaction open for a while (so that a freeze is likely to
 * find one open), and commits. Its connections come from a pool of the worker's own, not the
 * node's lease pool.
 */
final class FencedWrites {

    static final String CREATE = "CREATE TABLE IF NOT EXISTS fenced_writes (id BIGSERIAL PRIMARY KEY, name VARCHAR(512) NOT NULL,"
            + " epoch BIGINT NOT NULL, node VARCHAR(300) NOT NULL, at TIMESTAMP WITH TIME ZONE NOT NULL)";

    /** The table of fenced writes on dialect's database. */
    static String create(Dialect dialect) {
        return dialect == Dialect.MARIADB ? "CREATE TABLE IF NOT EXISTS fenced_writes (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                + " name VARCHAR(512) NOT NULL, epoch BIGINT NOT NULL, node VARCHAR(300) NOT NULL, at TIMESTAMP(6) NOT NULL"
                + " DEFAULT CURRENT_TIMESTAMP(6))" : CREATE;
    }

    /** How long each fenced transaction stays open. */
    static final Duration HOLD = Duration.ofMillis(200);

    private final DataSource dataSource;
    private final LeaseFence fence;
    private final String clock;

    /** @param idleTimeout how long a silent fenced transaction may hold its lock (the fence's idle timeout) */
    FencedWrites(DataSource dataSource, Duration idleTimeout) {
        this(dataSource, Dialect.POSTGRESQL, idleTimeout);
    }

    FencedWrites(DataSource dataSource, Dialect dialect, Duration idleTimeout) {
        this.dataSource = dataSource;
        this.fence = LeaseFence.of(dialect).idleTimeout(idleTimeout);
        this.clock = HistoryLog.clock(dialect);
    }

    /** Writes until a stop is asked for; a lost lease or a failed write only waits for the next round. */
    void loop(ProcessContext context, String key, String node) throws InterruptedException {
        while (!context.awaitStop(Duration.ofMillis(50))) {
            try {
                fence.inTransaction(dataSource, key, context.epoch(), connection -> {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO fenced_writes (name, epoch, node, at) VALUES (?, ?, ?, " + clock + ")")) {
                        insert.setString(1, key);
                        insert.setLong(2, context.epoch());
                        insert.setString(3, node);
                        insert.executeUpdate();
                    }
                    try {
                        Thread.sleep(HOLD); // the work of the transaction; a freeze here leaves it idle in transaction
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new SQLException("interrupted", e);
                    }
                    return null;
                });
            } catch (LeaseLostException | SQLException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
        }
    }
}
