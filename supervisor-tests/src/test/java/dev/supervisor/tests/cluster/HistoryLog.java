package dev.supervisor.tests.cluster;

import dev.supervisor.jdbc.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/**
 * Every worker's run as an interval in {@code cluster_history}: a row inserted when it starts,
 * its end set when it ends, both stamped with the database's {@code clock_timestamp()} (one
 * clock for every node), through connections of the log's own (never a node's). A checker then
 * looks for two intervals of one key that overlap.
 *
 * <p>The writes run on platform threads of the log's own, and the worker waits for them without
 * heeding interrupts: a forced stop interrupts the worker's virtual thread, which would close a
 * socket it was reading from, and an insert that committed but whose answer was lost would leave
 * an interval that never ends (a false overlap). The interrupt is kept for the worker.
 */
final class HistoryLog implements AutoCloseable {

    static final String CREATE = "CREATE TABLE IF NOT EXISTS cluster_history ("
            + " id BIGSERIAL PRIMARY KEY, name VARCHAR(512) NOT NULL, node VARCHAR(300) NOT NULL, epoch BIGINT NOT NULL,"
            + " started_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), ended_at TIMESTAMP WITH TIME ZONE)";

    /** The history table on dialect's database (the times from its clock, to the microsecond). */
    static String create(Dialect dialect) {
        return dialect == Dialect.MARIADB ? "CREATE TABLE IF NOT EXISTS cluster_history ("
                + " id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(512) NOT NULL, node VARCHAR(300) NOT NULL,"
                + " epoch BIGINT NOT NULL, started_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
                + " ended_at TIMESTAMP(6) NULL DEFAULT NULL)" : CREATE;
    }

    /** The database's clock at the moment of the call (PostgreSQL's clock_timestamp(), not the transaction's start). */
    static String clock(Dialect dialect) {
        return dialect == Dialect.POSTGRESQL ? "clock_timestamp()" : dialect.currentTimestamp();
    }

    private final DataSource dataSource;
    private final String clock;
    private final ExecutorService writers = Executors.newFixedThreadPool(4, Thread.ofPlatform().daemon().name("history-log-", 0).factory());

    HistoryLog(DataSource dataSource) {
        this(dataSource, Dialect.POSTGRESQL);
    }

    HistoryLog(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.clock = clock(dialect);
    }

    /** Records a start; returns the interval's id. */
    long started(String key, String node, long epoch) throws SQLException {
        return uninterruptibly(() -> {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement insert = connection.prepareStatement(
                         "INSERT INTO cluster_history (name, node, epoch) VALUES (?, ?, ?) RETURNING id")) {
                insert.setString(1, key);
                insert.setString(2, node);
                insert.setLong(3, epoch);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Records an end, trying up to five times. */
    void ended(long id) throws SQLException {
        uninterruptibly(() -> {
            SQLException last = null;
            for (int attempt = 0; attempt < 5; attempt++) {
                try (Connection connection = dataSource.getConnection();
                     PreparedStatement update = connection.prepareStatement(
                             "UPDATE cluster_history SET ended_at = " + clock + " WHERE id = ?")) {
                    update.setLong(1, id);
                    update.executeUpdate();
                    return null;
                } catch (SQLException e) {
                    last = e;
                }
            }
            throw last;
        });
    }

    private <T> T uninterruptibly(Callable<T> write) throws SQLException {
        Future<T> done = writers.submit(write);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return done.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof SQLException sql) {
                        throw sql;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        writers.shutdown();
    }
}
