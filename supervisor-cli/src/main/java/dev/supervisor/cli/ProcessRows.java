package dev.supervisor.cli;

import dev.supervisor.cli.daemon.DaemonRegistry;
import dev.supervisor.cli.output.ListedProcess;
import dev.supervisor.jdbc.Dialect;
import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.jdbc.StatusWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The CLI's reads and writes of the tables: rows are added, removed, listed, paused, resumed and
 * restarted here, and the daemon notices (its table's change signal). Plain SQL on the default
 * tables, on one connection that the caller owns (a one-shot command needs no more); every
 * database failure becomes a {@link RefusedException} saying what could not be done. Not
 * thread-safe, like the connection.
 */
public final class ProcessRows {

    private static final String ROWS = JdbcTable.DEFAULT_TABLE;
    private static final String STATUS = StatusWriter.DEFAULT_TABLE;
    /** Each row joined with every status of it; ordered by the caller, newest status first. */
    private static final String LISTED = "SELECT p.name, p.payload, p." + JdbcTable.DEFAULT_PAUSED_COLUMN + " AS paused,"
            + " s.state, s.pid, s.process_started_at, s.attempt, s.restarts, s.started_at, s.running_since,"
            + " s.next_attempt_at, s.last_exit, s.exit_code, s.last_error, s.node, s.updated_at, s.health"
            + " FROM " + ROWS + " p LEFT JOIN " + STATUS + " s ON s.name = p.name";

    private final Connection c;

    /** Reads and writes on connection, which stays open (its owner closes it). */
    public ProcessRows(Connection connection) {
        this.c = connection;
    }

    /**
     * Inserts the row for name.
     *
     * @throws RefusedException if a row with that name exists
     */
    public void add(String name, CommandSpec spec) {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + ROWS + " (name, payload) VALUES (?, ?)")) {
            insert.setString(1, name);
            insert.setString(2, spec.toJson());
            insert.executeUpdate();
        } catch (SQLException e) {
            if (uniqueViolation(e)) {
                throw new RefusedException("a process named " + name + " exists already; remove it first");
            }
            throw failed("add " + name, e);
        }
    }

    /** A row to insert with {@link #addAll}: a name, its command, paused or not, its group and position in it. */
    public record NewRow(String name, CommandSpec spec, boolean paused, Optional<String> group, long position) {
    }

    /**
     * Inserts every row in one transaction: all of them, or none.
     *
     * @throws RefusedException naming the row if one exists already (nothing is inserted then)
     */
    public void addAll(List<NewRow> rows) {
        String sql = "INSERT INTO " + ROWS + " (name, payload, " + JdbcTable.DEFAULT_PAUSED_COLUMN
                + ", group_name, group_position) VALUES (?, ?, ?, ?, ?)";
        boolean autoCommit = true;
        try {
            autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            String current = null;
            try (PreparedStatement insert = c.prepareStatement(sql)) {
                for (NewRow row : rows) {
                    current = row.name();
                    insert.setString(1, row.name());
                    insert.setString(2, row.spec().toJson());
                    insert.setBoolean(3, row.paused());
                    insert.setString(4, row.group().orElse(null));
                    insert.setLong(5, row.position());
                    insert.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                if (uniqueViolation(e)) {
                    throw new RefusedException("a process named " + current + " exists already; nothing was added (remove it"
                            + " first, or leave it out)");
                }
                throw failed("add " + current + " (nothing was added)", e);
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw failed("add the rows (nothing was added)", e);
        }
    }

    /** Deletes the row for name; false if there was none. */
    public boolean remove(String name) {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + ROWS + " WHERE name = ?")) {
            delete.setString(1, name);
            return delete.executeUpdate() > 0;
        } catch (SQLException e) {
            throw failed("remove " + name, e);
        }
    }

    /** Whether a row for name exists. */
    public boolean exists(String name) {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM " + ROWS + " WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw failed("look up " + name, e);
        }
    }

    /** Whether a daemon is live on this table ({@link DaemonRegistry}); false also when none ever registered. */
    public boolean daemonLive() {
        try {
            return !DaemonRegistry.liveOthers(c, "").isEmpty();
        } catch (RefusedException noTableYet) {
            return false;
        }
    }

    /** What the daemon registered as node can limit, if it is registered ({@code run}'s {@code limits} line). */
    public Optional<String> limitsOf(String node) {
        return DaemonRegistry.limitsOf(c, node);
    }

    /** Every row by name, each with its most recently written status (of any daemon). */
    public List<ListedProcess> list() {
        try (PreparedStatement select = c.prepareStatement(LISTED + " ORDER BY p.name, s.updated_at DESC")) {
            return listed(select);
        } catch (SQLException e) {
            throw failed("list the processes", e);
        }
    }

    /** Name's row with its most recently written status (of any daemon); empty if there is no such row. */
    public Optional<ListedProcess> find(String name) {
        try (PreparedStatement select = c.prepareStatement(LISTED + " WHERE p.name = ? ORDER BY s.updated_at DESC")) {
            select.setString(1, name);
            return listed(select).stream().findFirst();
        } catch (SQLException e) {
            throw failed("look up " + name, e);
        }
    }

    /**
     * Sets or clears name's paused flag (only when it changes: every UPDATE takes a new revision);
     * false if there is no row for name. The daemon stops a paused row's command and starts it
     * again once it is resumed.
     */
    public boolean setPaused(String name, boolean paused) {
        try (PreparedStatement update = c.prepareStatement("UPDATE " + ROWS + " SET " + JdbcTable.DEFAULT_PAUSED_COLUMN
                     + " = ? WHERE name = ? AND " + JdbcTable.DEFAULT_PAUSED_COLUMN + " <> ?")) {
            update.setBoolean(1, paused);
            update.setString(2, name);
            update.setBoolean(3, paused);
            return update.executeUpdate() > 0 || exists(name);
        } catch (SQLException e) {
            throw failed((paused ? "stop " : "start ") + name, e);
        }
    }

    /**
     * Asks whichever daemon runs name to restart its command (see {@code Table.requestRestart}): bumps
     * the row's restart-request counter; false if there is no row for name.
     */
    public boolean requestRestart(String name) {
        String column = JdbcTable.DEFAULT_RESTART_REQUESTS_COLUMN;
        try (PreparedStatement update = c.prepareStatement("UPDATE " + ROWS + " SET " + column + " = " + column
                     + " + 1 WHERE name = ?")) {
            update.setString(1, name);
            return update.executeUpdate() > 0;
        } catch (SQLException e) {
            throw failed("restart " + name, e);
        }
    }


    /** The rows select returns, one per name: the first of each name (its newest status). */
    private static List<ListedProcess> listed(PreparedStatement select) throws SQLException {
        Map<String, ListedProcess> byName = new LinkedHashMap<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString("name");
                if (!byName.containsKey(name)) {
                    byName.put(name, listed(rs));
                }
            }
        }
        return new ArrayList<>(byName.values());
    }

    private static ListedProcess listed(ResultSet rs) throws SQLException {
        Optional<CommandSpec> spec;
        Optional<String> payloadError;
        try {
            spec = Optional.of(CommandSpec.fromJson(rs.getString("payload")));
            payloadError = Optional.empty();
        } catch (RuntimeException e) { // any row, however hostile, is listed; the others too
            spec = Optional.empty();
            payloadError = Optional.of("the payload is not a command: " + e.getMessage());
        }
        String state = rs.getString("state");
        if (state == null) {
            state = spec.isPresent() ? ListedProcess.PENDING : ListedProcess.INVALID;
        }
        boolean paused = rs.getBoolean("paused");
        long pid = rs.getLong("pid");
        OptionalLong pidValue = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(pid);
        int code = rs.getInt("exit_code");
        OptionalInt exitCode = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(code);
        return new ListedProcess(rs.getString("name"), spec, payloadError, ListedProcess.state(state, paused), pidValue,
                instant(rs, "process_started_at"), rs.getInt("attempt"), rs.getInt("restarts"), instant(rs, "started_at"),
                instant(rs, "running_since"), Optional.ofNullable(rs.getString("last_exit")), exitCode,
                Optional.ofNullable(rs.getString("last_error")), Optional.ofNullable(rs.getString("node")),
                instant(rs, "updated_at"), paused, instant(rs, "next_attempt_at"), Optional.ofNullable(rs.getString("health")));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    /** Whether e is an insert of a key that exists, as the connection's database reports it. */
    private boolean uniqueViolation(SQLException e) {
        try {
            return Dialect.of(c.getMetaData().getDatabaseProductName()).isUniqueViolation(e);
        } catch (SQLException metadataFailed) {
            return false;
        }
    }

    private static RefusedException failed(String what, SQLException e) {
        return new RefusedException("cannot " + what + ": " + e.getMessage(), e);
    }
}
