package dev.supervisor.jdbc.internal.lease;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.DelegatingTransactionHandler;
import org.jdbi.v3.core.transaction.TransactionException;
import org.jdbi.v3.core.transaction.TransactionHandler;

/**
 * Lease writes count only when the database acknowledged their commit. With synchronous
 * replication PostgreSQL holds a commit until a synchronous standby has it; when that wait is
 * cancelled (the statement's timeout sends a cancel, or an operator does), the server answers as
 * if the commit had succeeded, with a warning ({@code WARNING: canceling wait for synchronous
 * replication due to user request}, SQLSTATE {@value #CANCELLED_WAIT}): the transaction is committed
 * on the primary but perhaps not on the standby that a failover would promote. A heartbeat counted
 * as done there would extend the node's safety deadline beyond its row's expiry on that standby, and
 * a claim counted as done would start keys that another node may claim there.
 *
 * <p>So the heartbeat, claims and releases check their warnings ({@link #check(Statement, String)}),
 * and the lease {@link Jdbi}'s transactions do so at commit ({@link #install}): such a write throws
 * {@link UnacknowledgedCommitException} and counts as not done (a heartbeat that did not confirm, a
 * claim whose keys are not started until a later round finds them in the database and a heartbeat
 * confirms them, a release that is retried). The warning's SQLSTATE is the generic warning class,
 * matched whatever the server's language; lease statements raise no other warning. A commit of a
 * transaction has no statement timeout: its wait is bounded by the connection's network timeout
 * instead, which drops the connection (no cancel, so nothing is acknowledged).
 */
public final class Acknowledgements {

    /** The SQLSTATE of PostgreSQL's warning for a cancelled wait for synchronous replication (and of warnings in general). */
    public static final String CANCELLED_WAIT = "01000";

    private Acknowledgements() {
    }

    /**
     * Throws if statement, just executed in auto-commit, carries the warning of a commit whose
     * synchronous-replication wait was cancelled; {@code what} names the write for the message.
     */
    public static void check(Statement statement, String what) throws SQLException {
        check(statement.getWarnings(), what);
    }

    private static void check(SQLWarning warnings, String what) throws UnacknowledgedCommitException {
        for (SQLWarning warning = warnings; warning != null; warning = warning.getNextWarning()) {
            if (CANCELLED_WAIT.equals(warning.getSQLState())) {
                throw new UnacknowledgedCommitException(what, warning);
            }
        }
    }

    /**
     * Makes every transaction of jdbi check its commit: a commit that waits longer than
     * {@code commitTimeout} for the database loses its connection (the network timeout), and one
     * answered with the warning of a cancelled replication wait throws a {@link TransactionException}
     * (caused by an {@link UnacknowledgedCommitException}), so the transaction counts as not done.
     */
    public static Jdbi install(Jdbi jdbi, Duration commitTimeout) {
        jdbi.setTransactionHandler(new CheckedCommits(jdbi.getTransactionHandler(), Math.toIntExact(commitTimeout.toMillis())));
        return jdbi;
    }

    /** A transaction handler whose commits are bounded and checked; specialised per handle like the one it wraps. */
    private static final class CheckedCommits extends DelegatingTransactionHandler {
        private final int timeoutMillis;

        CheckedCommits(TransactionHandler delegate, int timeoutMillis) {
            super(delegate);
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public TransactionHandler specialize(Handle handle) throws SQLException {
            return new CheckedCommits(getDelegate().specialize(handle), timeoutMillis);
        }

        @Override
        public void commit(Handle handle) {
            Connection connection = handle.getConnection();
            try {
                connection.clearWarnings();
                int previous = boundNetworkWait(connection, timeoutMillis);
                try {
                    super.commit(handle);
                } finally {
                    if (previous >= 0 && !connection.isClosed()) {
                        connection.setNetworkTimeout(Runnable::run, previous);
                    }
                }
                check(connection.getWarnings(), "a lease transaction");
            } catch (SQLException e) {
                throw new TransactionException("Lease transaction not acknowledged: " + e.getMessage(), e);
            }
        }

        /** Sets connection's network timeout to millis if it has none or a longer one; returns the one to restore, or -1. */
        private static int boundNetworkWait(Connection connection, int millis) throws SQLException {
            try {
                int previous = connection.getNetworkTimeout();
                if (previous != 0 && previous <= millis) {
                    return -1;
                }
                connection.setNetworkTimeout(Runnable::run, millis);
                return previous;
            } catch (SQLFeatureNotSupportedException | UnsupportedOperationException e) {
                return -1; // an embedded database (H2): no network to wait on
            }
        }
    }
}
