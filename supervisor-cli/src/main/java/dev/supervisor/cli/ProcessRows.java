package dev.supervisor.cli;

import dev.supervisor.jdbc.Database;
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
 * The CLI's reads and writes of the tables: rows are added, removed and listed here, and the
 * daemon notices (its table's change signal). Plain SQL on the default tables; every database
 * failure becomes a {@link RefusedException} saying what could not be done.
 */
final class ProcessRows {

    private static final String ROWS = JdbcTable.DEFAULT_TABLE;
    private static final String STATUS = StatusWriter.DEFAULT_TABLE;
    private static final String UNIQUE_VIOLATION = "23505";

    private final Database database;

    ProcessRows(Database database) {
        this.database = database;
    }

    /**
     * Inserts the row for name.
     *
     * @throws RefusedException if a row with that name exists
     */
    void add(String name, CommandSpec spec) {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + ROWS + " (name, payload) VALUES (?, ?)")) {
            insert.setString(1, name);
            insert.setString(2, spec.toJson());
            insert.executeUpdate();
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new RefusedException("a process named " + name + " exists already; remove it first");
            }
            throw failed("add " + name, e);
        }
    }

    /** Deletes the row for name; false if there was none. */
    boolean remove(String name) {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement delete = c.prepareStatement("DELETE FROM " + ROWS + " WHERE name = ?")) {
            delete.setString(1, name);
            return delete.executeUpdate() > 0;
        } catch (SQLException e) {
            throw failed("remove " + name, e);
        }
    }

    /** Whether a row for name exists. */
    boolean exists(String name) {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement select = c.prepareStatement("SELECT 1 FROM " + ROWS + " WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw failed("look up " + name, e);
        }
    }

    /** Whether a daemon is live on this table ({@link DaemonRegistry}); false also when none ever registered. */
    boolean daemonLive() {
        try {
            return !DaemonRegistry.of(database, "").liveOthers().isEmpty();
        } catch (RefusedException noTableYet) {
            return false;
        }
    }

    /** Every row by name, each with its most recently written status (of any daemon). */
    List<ListedProcess> list() {
        String sql = "SELECT p.name, p.payload, s.state, s.pid, s.process_started_at, s.attempt, s.restarts, s.started_at,"
                + " s.running_since, s.last_exit, s.exit_code, s.last_error, s.node, s.updated_at"
                + " FROM " + ROWS + " p LEFT JOIN " + STATUS + " s ON s.name = p.name"
                + " ORDER BY p.name, s.updated_at DESC";
        Map<String, ListedProcess> byName = new LinkedHashMap<>();
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement select = c.prepareStatement(sql);
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString("name");
                if (!byName.containsKey(name)) {
                    byName.put(name, listed(rs));
                }
            }
        } catch (SQLException e) {
            throw failed("list the processes", e);
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
        long pid = rs.getLong("pid");
        OptionalLong pidValue = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(pid);
        int code = rs.getInt("exit_code");
        OptionalInt exitCode = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(code);
        return new ListedProcess(rs.getString("name"), spec, payloadError, state, pidValue,
                instant(rs, "process_started_at"), rs.getInt("attempt"), rs.getInt("restarts"), instant(rs, "started_at"),
                instant(rs, "running_since"), Optional.ofNullable(rs.getString("last_exit")), exitCode,
                Optional.ofNullable(rs.getString("last_error")), Optional.ofNullable(rs.getString("node")),
                instant(rs, "updated_at"));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    private static RefusedException failed(String what, SQLException e) {
        return new RefusedException("cannot " + what + ": " + e.getMessage(), e);
    }
}
