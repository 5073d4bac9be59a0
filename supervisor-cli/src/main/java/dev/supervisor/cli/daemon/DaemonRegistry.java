package dev.supervisor.cli.daemon;

import dev.supervisor.Clock;
import dev.supervisor.cli.Home;
import dev.supervisor.cli.RefusedException;
import dev.supervisor.cli.output.Durations;
import dev.supervisor.jdbc.Database;
import dev.supervisor.jdbc.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which daemons run on a database's table: one row each in {@code supervisor_daemons} (node,
 * home, whether it runs with {@code --cluster}), its {@code last_seen} renewed every
 * {@link #HEARTBEAT} on the database's clock. A daemon is live while it was seen within
 * {@link #LIVE_WINDOW}. {@code run} registers first and refuses to go on when a live daemon that
 * registered earlier is there, unless both are clustered; {@code add} and {@code list} warn
 * when none is live. Each row also says which limits its daemon can apply ({@code limits}), for
 * {@code status}. The table is the CLI's own, created if missing. Thread-safe.
 */
public final class DaemonRegistry implements AutoCloseable {

    static final String TABLE = "supervisor_daemons";
    /** How often a daemon says it is alive. */
    static final Duration HEARTBEAT = Duration.ofSeconds(2);
    /** How long after its last heartbeat a daemon still counts as live. */
    static final Duration LIVE_WINDOW = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(DaemonRegistry.class);

    /** A registered daemon. */
    record Daemon(String node, String home, boolean cluster, Instant registeredAt, Instant lastSeen, long secondsAgo) {
        String describe() {
            return "node " + node + ", home " + home + (cluster ? ", clustered" : "") + ", last seen " + lastSeen
                    + " (" + secondsAgo + " s ago)";
        }
    }

    private final Database database;
    private final String node;
    private volatile Thread heartbeat;

    private DaemonRegistry(Database database, String node) {
        this.database = database;
        this.node = node;
    }

    /** The registry of database, for the daemon node (any name for a command that only reads it). */
    public static DaemonRegistry of(Database database, String node) {
        return new DaemonRegistry(database, node);
    }

    private void createTable() {
        String instant = database.dialect().timestampType();
        try (Connection c = database.dataSource().getConnection(); Statement create = c.createStatement()) {
            create.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (node VARCHAR(255) PRIMARY KEY, home VARCHAR(4096) NOT NULL,"
                    + " cluster BOOLEAN NOT NULL, registered_at " + instant + " NOT NULL, last_seen " + instant + " NOT NULL,"
                    + " limits VARCHAR(1000))");
        } catch (SQLException e) {
            throw new RefusedException("cannot create the table " + TABLE + ": " + e.getMessage(), e);
        }
        try (Connection c = database.dataSource().getConnection(); Statement alter = c.createStatement()) {
            alter.execute("ALTER TABLE " + TABLE + " ADD COLUMN IF NOT EXISTS limits VARCHAR(1000)"); // a table of 0.1
        } catch (SQLException e) {
            LOG.debug("Cannot add the column limits to {}: {}", TABLE, e.toString());
        }
    }

    /**
     * What the daemon registered as node can limit ({@code limits} line of its start), if it is
     * registered; empty also when the table does not exist.
     */
    public static java.util.Optional<String> limitsOf(Connection c, String node) {
        try (PreparedStatement select = c.prepareStatement("SELECT limits FROM " + TABLE + " WHERE node = ?")) {
            select.setString(1, node);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? java.util.Optional.ofNullable(rs.getString(1)) : java.util.Optional.empty();
            }
        } catch (SQLException e) {
            return java.util.Optional.empty();
        }
    }

    /** The daemons seen within {@link #LIVE_WINDOW}, other than this node, earliest registered first. */
    public List<Daemon> liveOthers() {
        try (Connection c = database.dataSource().getConnection()) {
            return liveOthers(c, node);
        } catch (SQLException e) {
            throw new RefusedException("cannot read the table " + TABLE + ": " + e.getMessage(), e);
        }
    }

    /** The daemons seen within {@link #LIVE_WINDOW}, other than node, earliest registered first, read on connection c. */
    public static List<Daemon> liveOthers(Connection c, String node) {
        List<Daemon> live = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT node, home, cluster, registered_at, last_seen, " + now(c)
                + " AS now FROM " + TABLE + " WHERE node <> ? ORDER BY registered_at, node")) {
            select.setString(1, node);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Instant seen = rs.getObject("last_seen", OffsetDateTime.class).toInstant();
                    Instant now = rs.getObject("now", OffsetDateTime.class).toInstant();
                    long ago = Duration.between(seen, now).toSeconds();
                    if (ago <= LIVE_WINDOW.toSeconds()) {
                        live.add(new Daemon(rs.getString("node"), rs.getString("home"), rs.getBoolean("cluster"),
                                rs.getObject("registered_at", OffsetDateTime.class).toInstant(), seen, ago));
                    }
                }
            }
        } catch (SQLException e) {
            throw new RefusedException("cannot read the table " + TABLE + ": " + e.getMessage(), e);
        }
        return live;
    }

    /**
     * Registers this daemon, then checks the others. Rows not seen for a day are deleted, and so
     * are the rows of earlier daemons of this home on this host: holding the home's lock, this
     * daemon knows they are dead, and restarting after a crash is not refused.
     *
     * @throws RefusedException naming the other daemon when one registered earlier is live and
     *     not both run with {@code --cluster}; this daemon's row is deleted again
     */
    public void register(Home home, boolean cluster, String limits) {
        createTable();
        try (Connection c = database.dataSource().getConnection()) {
            try (PreparedStatement stale = c.prepareStatement("DELETE FROM " + TABLE
                    + " WHERE node = ? OR last_seen < ? OR (home = ? AND node LIKE ?)")) {
                stale.setString(1, node);
                stale.setObject(2, OffsetDateTime.now().minusDays(1));
                stale.setString(3, home.dir().toString());
                stale.setString(4, "%" + node.substring(node.indexOf('@')).replace("%", "\\%").replace("_", "\\_"));
                stale.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + TABLE
                    + " (node, home, cluster, registered_at, last_seen, limits) VALUES (?, ?, ?, " + now(c) + ", " + now(c)
                    + ", ?)")) {
                insert.setString(1, node);
                insert.setString(2, home.dir().toString());
                insert.setBoolean(3, cluster);
                insert.setString(4, limits.length() <= 1000 ? limits : limits.substring(0, 997) + "...");
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new RefusedException("cannot register the daemon in " + TABLE + ": " + e.getMessage(), e);
        }
        for (Daemon other : liveOthers()) {
            if (!(cluster && other.cluster())) {
                unregister();
                throw new RefusedException("another daemon runs on this table (" + other.describe() + "); stop it, or run "
                        + "both with --cluster to share the rows");
            }
        }
    }

    /** Renews this daemon's {@code last_seen} every {@link #HEARTBEAT} on clock until {@link #close()}. */
    public void startHeartbeat(Clock clock) {
        heartbeat = Thread.ofVirtual().name("supervisor-heartbeat").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    clock.after(HEARTBEAT).get();
                    beat();
                } catch (InterruptedException | CancellationException e) {
                    return;
                } catch (ExecutionException | RuntimeException e) {
                    LOG.warn("The daemon's heartbeat failed; trying again in {}: {}", Durations.seconds(HEARTBEAT), e.toString());
                }
            }
        });
    }

    private void beat() {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE " + TABLE + " SET last_seen = " + now(c) + " WHERE node = ?")) {
            update.setString(1, node);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot renew the heartbeat: " + e.getMessage(), e);
        }
    }

    /** The database's clock, as the connection's database writes it. */
    private static String now(Connection c) throws SQLException {
        return Dialect.of(c.getMetaData().getDatabaseProductName()).currentTimestamp();
    }

    private void unregister() {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement delete = c.prepareStatement("DELETE FROM " + TABLE + " WHERE node = ?")) {
            delete.setString(1, node);
            delete.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("Cannot delete this daemon's row from {}: {}; it stops counting as live within {}", TABLE, e.toString(),
                    Durations.seconds(LIVE_WINDOW));
        }
    }

    /** Stops the heartbeat and deletes this daemon's row. */
    @Override
    public void close() {
        Thread beating = heartbeat;
        if (beating != null) {
            beating.interrupt();
            try {
                beating.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        unregister();
    }
}
