package dev.supervisor.jdbc.internal.signal;

import dev.supervisor.ChangeListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's change signal: LISTENs, on a dedicated connection (never a pooled one), to the
 * channel the migration's trigger notifies ({@code supervisor_<table oid>}), and reports each
 * notification's key. An empty payload (a TRUNCATE, or a key too long for a notification) and a
 * burst of more than {@link #MAX_ROWS_PER_SIGNAL} notifications are reported as
 * {@code tableChanged}.
 *
 * <p>When the connection dies (a restart, {@code pg_terminate_backend}, a network fault) it
 * reconnects after a delay on the setup's clock, doubling up to {@link #MAX_RECONNECT_DELAY}, and
 * reports {@code tableChanged} once listening again, since notifications sent meanwhile are lost.
 * It reports {@code tableChanged} after the first LISTEN too, covering changes made while it was
 * connecting. An idle connection is checked every {@link #CHECK_EVERY}, so a silently broken one
 * is noticed.
 */
public final class PgNotificationListener implements ChangeSource {

    /*
     * Concurrency: one daemon thread owns the connection and runs the whole loop; close() sets
     * "closed", cancels a pending reconnect delay and closes the connection, which unblocks a
     * waiting getNotifications (it then throws, and the loop sees "closed" and ends).
     */

    static final int MAX_ROWS_PER_SIGNAL = 64;
    static final Duration FIRST_RECONNECT_DELAY = Duration.ofMillis(100);
    static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(5);
    static final Duration CHECK_EVERY = Duration.ofSeconds(10);
    private static final int WAIT_MILLIS = 500;
    private static final int VALIDATION_SECONDS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(PgNotificationListener.class);

    private final SignalSetup setup;
    private final ChangeListener<String> sink;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;
    private volatile CompletableFuture<Void> delay = CompletableFuture.completedFuture(null);

    public PgNotificationListener(SignalSetup setup) {
        this.setup = setup;
        this.sink = setup.sink();
        this.thread = Thread.ofPlatform().daemon().name("supervisor-pg-listen-" + setup.queries().table())
                .unstarted(this::loop);
    }

    @Override
    public void start() {
        thread.start();
    }

    private void loop() {
        Duration backoff = FIRST_RECONNECT_DELAY;
        while (!closed) {
            try (Connection c = setup.connections().open()) {
                connection = c;
                if (closed) {
                    return;
                }
                String channel = listen(c);
                LOG.debug("[{}] Listening on channel {}", setup.queries().table(), channel);
                backoff = FIRST_RECONNECT_DELAY;
                sink.tableChanged();
                receive(c);
            } catch (Throwable e) {
                if (closed) {
                    return;
                }
                LOG.warn("[{}] The change listener's connection failed; reconnecting in {}: {}", setup.queries().table(),
                        backoff, e.getMessage());
                if (!pause(backoff)) {
                    return;
                }
                backoff = doubled(backoff);
            } finally {
                connection = null;
            }
        }
    }

    /** LISTENs on the table's channel and returns its name. */
    private String listen(Connection c) throws SQLException {
        String channel;
        try (PreparedStatement resolve = c.prepareStatement("SELECT 'supervisor_' || to_regclass(?)::oid")) {
            resolve.setString(1, setup.queries().table().toString());
            try (ResultSet rs = resolve.executeQuery()) {
                rs.next();
                channel = rs.getString(1);
            }
        }
        if (channel == null) {
            throw new SQLException("table " + setup.queries().table() + " does not exist");
        }
        try (Statement statement = c.createStatement()) {
            statement.execute("LISTEN " + channel); // channel is "supervisor_" and digits
        }
        return channel;
    }

    private void receive(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long idleSince = System.nanoTime();
        while (!closed) {
            PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
            if (notifications != null && notifications.length > 0) {
                dispatch(notifications);
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince > CHECK_EVERY.toNanos()) {
                if (!c.isValid(VALIDATION_SECONDS)) {
                    throw new SQLException("the listening connection is no longer valid");
                }
                idleSince = System.nanoTime();
            }
        }
    }

    private void dispatch(PGNotification[] notifications) {
        if (notifications.length > MAX_ROWS_PER_SIGNAL) {
            sink.tableChanged();
            return;
        }
        for (PGNotification notification : notifications) {
            String key = notification.getParameter();
            if (key == null || key.isEmpty()) {
                sink.tableChanged();
            } else {
                sink.rowChanged(key);
            }
        }
    }

    private static Duration doubled(Duration backoff) {
        Duration twice = backoff.multipliedBy(2);
        return twice.compareTo(MAX_RECONNECT_DELAY) > 0 ? MAX_RECONNECT_DELAY : twice;
    }

    /** Waits on the clock; false if closed meanwhile. */
    private boolean pause(Duration duration) {
        CompletableFuture<Void> next = setup.clock().after(duration);
        delay = next;
        if (closed) {
            next.cancel(false);
        }
        try {
            next.get();
            return !closed;
        } catch (CancellationException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        delay.cancel(false);
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("[{}] Closing the listening connection failed", setup.queries().table(), e);
            }
        }
    }
}
