package dev.supervisor.jdbc.internal.lease;

import dev.supervisor.Clock;
import dev.supervisor.jdbc.ConnectionFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's heartbeat, on a platform daemon thread of its own (virtual threads are not
 * time-sliced, so busy processes could starve it): every renew interval one single-row
 * write ({@link NodeRegistry#beat}) keeps the incarnation, and with it every lease it holds,
 * valid. It never queues behind claims or releases (they run on the lease loop's thread), and
 * never behind busy workers for a connection: it keeps a connection of its own when the data
 * source is a HikariCP pool with a JDBC URL (else it borrows one per beat). Each beat has a
 * statement timeout, and the dedicated connection a network timeout. The safety timer is armed
 * before the statement is sent; a heartbeat that finds the incarnation dead ends it
 * ({@link HeldLeases#incarnationEnded}) and registers a new one at once.
 */
public final class NodeHeartbeat {

    private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeat.class);

    private final Clock clock;
    private final Duration interval;
    private final int timeoutSeconds;
    private final DataSource dataSource;
    private final ConnectionFactory dedicated; // null: borrow from dataSource per beat
    private final NodeRegistry nodes;
    private final HeldLeases<?> held;
    private final Runnable newIncarnation;
    private final CompletableFuture<Void> firstBeat = new CompletableFuture<>();
    private final CompletableFuture<Void> closing = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final Thread thread;
    private Connection connection; // the dedicated one, on the heartbeat's thread only
    private boolean failing;

    /**
     * @param dedicated where the heartbeat's own connection comes from, or null to borrow one from dataSource per beat
     * @param newIncarnation called after a dead incarnation was replaced by a new one (the loop claims again)
     */
    public NodeHeartbeat(Clock clock, Duration interval, int timeoutSeconds, DataSource dataSource, ConnectionFactory dedicated,
                         NodeRegistry nodes, HeldLeases<?> held, Runnable newIncarnation) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.timeoutSeconds = timeoutSeconds;
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.dedicated = dedicated;
        this.nodes = Objects.requireNonNull(nodes, "nodes");
        this.held = Objects.requireNonNull(held, "held");
        this.newIncarnation = Objects.requireNonNull(newIncarnation, "newIncarnation");
        this.thread = Thread.ofPlatform().daemon().name("supervisor-heartbeat").unstarted(this::run);
    }

    /** Starts beating: the first beat (registering the incarnation) at once. */
    public void start() {
        thread.start();
    }

    /** Completes once the first beat was tried (whether it succeeded or not). */
    public CompletableFuture<Void> firstBeat() {
        return firstBeat;
    }

    /** Stops beating; completes when the thread has ended (a beat in flight finishes first). */
    public CompletableFuture<Void> close() {
        closing.complete(null);
        if (thread.getState() == Thread.State.NEW) {
            ended.complete(null);
        }
        return ended;
    }

    private void run() {
        try {
            while (!closing.isDone()) {
                CompletableFuture<Void> next = clock.after(interval);
                beatOnce();
                firstBeat.complete(null);
                try {
                    CompletableFuture.anyOf(next, closing).get();
                } catch (ExecutionException e) {
                    throw new AssertionError("neither future fails", e);
                } finally {
                    next.cancel(false);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeConnection();
            firstBeat.complete(null);
            ended.complete(null);
        }
    }

    /** One beat; a dead incarnation is replaced and the new one registered at once. */
    void beatOnce() {
        CompletableFuture<Void> timer = held.arm();
        NodeRegistry.Beat beat;
        try {
            beat = beat();
        } catch (SQLException | RuntimeException e) {
            held.failed(timer);
            closeConnection();
            if (!failing) {
                failing = true;
                LOG.warn("Heartbeat failed; retrying. Processes keep running until the safety deadline: {}", e.getMessage());
            }
            return;
        }
        if (failing) {
            failing = false;
            LOG.info("Heartbeats work again");
        }
        if (beat == NodeRegistry.Beat.DEAD) {
            held.failed(timer);
            held.incarnationEnded();
            beatOnce(); // registers the new incarnation
            newIncarnation.run();
            return;
        }
        held.confirmed(timer);
    }

    private NodeRegistry.Beat beat() throws SQLException {
        if (dedicated == null) {
            try (Connection borrowed = dataSource.getConnection()) {
                borrowed.setAutoCommit(true);
                return nodes.beat(borrowed, timeoutSeconds);
            }
        }
        if (connection == null) {
            connection = dedicated.open();
            connection.setAutoCommit(true);
            connection.setNetworkTimeout(Runnable::run, (timeoutSeconds + 1) * 1000);
        }
        return nodes.beat(connection, timeoutSeconds);
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("Closing the heartbeat's connection failed", e);
            }
            connection = null;
        }
    }
}
