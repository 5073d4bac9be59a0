package dev.supervisor.jdbc;

import dev.supervisor.ProcessContext;
import dev.supervisor.jdbc.internal.LeaseSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Fencing for a worker's own writes in cluster mode: a write is made only while the worker's
 * lease is still current, that is, the key's lease still has the epoch the worker was started
 * with ({@link ProcessContext#epoch()}) and has not expired. A worker on a node that stalled or
 * lost its database, whose key another node has claimed since (with a higher epoch), has its
 * writes refused instead of interleaving with the new owner's.
 *
 * <p>Both forms lock the lease row until the writing transaction ends, so a claim by another
 * node waits for that transaction and is then seen after it: without the lock, a write checked
 * against the lease just before another node's claim could still commit after it.
 *
 * <pre>{@code
 * LeaseFence fence = LeaseFence.of(database);
 * // 1. a condition in your own statement (parameters: the key, then the epoch)
 * "UPDATE accounts SET balance = ? WHERE id = ? AND " + fence.condition()
 * // 2. a transaction that runs only while the lease is current, else LeaseLostException
 * fence.useTransaction(dataSource, context, connection -> { ... your writes ... });
 * }</pre>
 *
 * <p>Keep fenced transactions short: while one holds the lock, the lease's renewal waits for it
 * (a transaction longer than the renew interval delays renewals, and one longer than
 * {@code ttl - safetyMargin} makes the node stop its processes for safety). Fence one lease per
 * transaction. Thread-safe and immutable.
 */
public final class LeaseFence {

    private final String condition;
    private final String lock;

    private LeaseFence(Dialect dialect) {
        String current = "SELECT 1 FROM " + LeaseSchema.LEASES + " WHERE name = ? AND epoch = ? AND expires_at > CURRENT_TIMESTAMP "
                + dialect.sql().shareLock();
        this.condition = "EXISTS (" + current + ")";
        this.lock = current;
    }

    /** A fence for leases in this database. */
    public static LeaseFence of(Database database) {
        return new LeaseFence(Objects.requireNonNull(database, "database").dialect());
    }

    /** A fence for leases in a database of this dialect. */
    public static LeaseFence of(Dialect dialect) {
        return new LeaseFence(Objects.requireNonNull(dialect, "dialect"));
    }

    /**
     * An SQL condition, true while the lease of a key still has an epoch; add it to the
     * {@code WHERE} of your own statement and bind the key (as stored, text) and the epoch as
     * its two parameters. It also locks the lease row until your transaction ends. A statement
     * it stops touches no rows: branch on the count.
     */
    public String condition() {
        return condition;
    }

    /**
     * In the caller's transaction (auto-commit off), locks key's lease if it still has epoch and
     * has not expired; the lock lasts until the transaction ends.
     *
     * @return false if the lease is gone, expired or has another epoch: do not write
     */
    public boolean lock(Connection connection, String key, long epoch) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(lock)) {
            statement.setString(1, key);
            statement.setLong(2, epoch);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Runs work in a new transaction on a connection of dataSource, after locking the lease of
     * key with epoch; commits if work returns, rolls back if it throws.
     *
     * @throws LeaseLostException if the lease is no longer current (nothing is written)
     * @throws SQLException if the database fails
     */
    public <T> T inTransaction(DataSource dataSource, String key, long epoch, FencedWork<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                if (!lock(connection, key, epoch)) {
                    throw new LeaseLostException(key, epoch);
                }
                T result = work.apply(connection);
                connection.commit();
                return result;
            } catch (Throwable e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    /**
     * {@link #inTransaction(DataSource, String, long, FencedWork)} for the process's own key
     * (as text: {@code String.valueOf(context.key())}, right for String keys) and epoch.
     */
    public <T> T inTransaction(DataSource dataSource, ProcessContext context, FencedWork<T> work) throws SQLException {
        return inTransaction(dataSource, String.valueOf(context.key()), context.epoch(), work);
    }

    /** Like {@link #inTransaction(DataSource, ProcessContext, FencedWork)}, for work without a result. */
    public void useTransaction(DataSource dataSource, ProcessContext context, FencedUse work) throws SQLException {
        inTransaction(dataSource, context, connection -> {
            work.accept(connection);
            return null;
        });
    }

    /** Writes made under a fence, on its transaction's connection. */
    @FunctionalInterface
    public interface FencedWork<T> {
        /** The work; the connection's transaction commits when it returns. */
        T apply(Connection connection) throws SQLException;
    }

    /** Writes without a result made under a fence. */
    @FunctionalInterface
    public interface FencedUse {
        /** The work; the connection's transaction commits when it returns. */
        void accept(Connection connection) throws SQLException;
    }
}
