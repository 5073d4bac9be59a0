package dev.supervisor.jdbc;

import dev.supervisor.ProcessContext;
import dev.supervisor.jdbc.internal.lease.LeaseSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Fencing for a worker's own writes in cluster mode: a write is made only while the worker's
 * lease is still current, that is, the key's lease still has the epoch the worker was started
 * with ({@link ProcessContext#epoch()}) and its owner incarnation is live. A worker on a node
 * that stalled or lost its database, whose key another node has claimed since (with a higher
 * epoch), has its writes refused instead of interleaving with the new owner's.
 *
 * <p>Both forms lock the lease row until the writing transaction ends, so a claim by another
 * node cannot take the lease between the fence's check and the commit: claims skip lease rows
 * that a transaction holds (they never wait for one), and take such a key in a later round.
 * The lock never delays a renewal (renewals write the node's liveness row, not lease rows).
 *
 * <pre>{@code
 * LeaseFence fence = LeaseFence.of(database);
 * // 1. a condition in your own statement (parameters: the key, then the epoch)
 * "UPDATE accounts SET balance = ? WHERE id = ? AND " + fence.condition()
 * // 2. a transaction that runs only while the lease is current, else LeaseLostException
 * fence.useTransaction(dataSource, context, connection -> { ... your writes ... });
 * }</pre>
 *
 * <p><b>A frozen node.</b> A worker whose JVM freezes (SIGSTOP, a suspended VM) inside a fenced
 * transaction would keep its lease row locked, and its key from being taken over, for as long
 * as it is frozen. {@link #lock} (and so the {@code inTransaction} forms) therefore limits the
 * transaction's idle time ({@link #idleTimeout}, default {@link LeaseOwnership#DEFAULT_TTL}):
 * the server ends the session of a client that went silent mid-transaction, releasing its locks
 * and rolling its writes back. PostgreSQL: {@code SET LOCAL idle_in_transaction_session_timeout};
 * MariaDB and MySQL: the session's {@code wait_timeout} (and MariaDB's
 * {@code idle_transaction_timeout}), whole seconds, set back by the {@code inTransaction} forms
 * when the transaction ends ({@link #clearLimits}). With the {@link #condition()} form, call
 * {@link #limitIdle(Connection)} first in your transaction for the same bound, and
 * {@link #clearLimits(Connection)} after it. Keep fenced transactions shorter than that timeout.
 * Fence one lease per transaction. Thread-safe and immutable.
 */
public final class LeaseFence {

    private final Dialect dialect;
    private final Duration idleTimeout;
    private final String condition;
    private final String lock;

    private LeaseFence(Dialect dialect, Duration idleTimeout) {
        this.dialect = dialect;
        this.idleTimeout = idleTimeout;
        String current = "SELECT 1 FROM " + LeaseSchema.LEASES + " l WHERE l.name = ? AND l.epoch = ? AND EXISTS (SELECT 1 FROM "
                + LeaseSchema.NODES + " n WHERE n.node = l.owner AND n.expires_at > " + dialect.sql().now() + ") "
                + dialect.sql().shareLock();
        this.condition = "EXISTS (" + current + ")";
        this.lock = current;
    }

    /** A fence for leases in this database. */
    public static LeaseFence of(Database database) {
        return new LeaseFence(Objects.requireNonNull(database, "database").dialect(), LeaseOwnership.DEFAULT_TTL);
    }

    /** A fence for leases in a database of this dialect. */
    public static LeaseFence of(Dialect dialect) {
        return new LeaseFence(Objects.requireNonNull(dialect, "dialect"), LeaseOwnership.DEFAULT_TTL);
    }

    /**
     * This fence with another bound on how long a fenced transaction may sit idle (its client
     * silent) before the server ends its session and releases its locks; use the ownership's ttl.
     */
    public LeaseFence idleTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, was " + timeout);
        }
        return new LeaseFence(dialect, timeout);
    }

    /**
     * In the caller's transaction (auto-commit off), bounds how long it may sit idle before
     * the server ends the session (see the class comment); nothing on H2. Call it first in the
     * transaction.
     */
    public void limitIdle(Connection connection) throws SQLException {
        for (String limit : dialect.sql().transactionLimits(idleTimeout, idleTimeout)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(limit);
            }
        }
    }

    /**
     * After a transaction bounded by {@link #limitIdle} (or {@link #lock}) has ended, sets the
     * bounds back where they are session settings (MariaDB, MySQL), so that a pooled connection
     * does not keep them; nothing on PostgreSQL and H2, whose bounds end with the transaction.
     */
    public void clearLimits(Connection connection) throws SQLException {
        for (String reset : dialect.sql().transactionLimitsReset()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(reset);
            }
        }
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
     * In the caller's transaction (auto-commit off), bounds its idle time ({@link #limitIdle})
     * and locks key's lease if it still has epoch and its owner is live; the lock lasts until
     * the transaction ends.
     *
     * @return false if the lease is gone, has another epoch or its owner is dead: do not write
     */
    public boolean lock(Connection connection, String key, long epoch) throws SQLException {
        limitIdle(connection);
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
                clearLimits(connection);
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
