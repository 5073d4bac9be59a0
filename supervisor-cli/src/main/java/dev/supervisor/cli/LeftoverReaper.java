package dev.supervisor.cli;

import dev.supervisor.jdbc.Database;
import dev.supervisor.jdbc.StatusWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cleans up after a daemon of this host that died without stopping its processes (kill -9, a
 * crash): its commands go on running as orphans, and its rows stay in the status table. Before
 * the new daemon starts anything, each such row's process is stopped (with its descendants) if
 * it is still the same process: same pid <em>and</em> same start time, so a pid reused by an
 * unrelated process is never touched. Then the dead daemon's status rows are deleted.
 *
 * <p>A node is a daemon's {@code pid@host} in the status table; only nodes of this host whose
 * daemon process is gone are cleaned. Daemons on other hosts, or alive here, are left alone.
 */
final class LeftoverReaper {

    private static final String STATUS = StatusWriter.DEFAULT_TABLE;

    private final Database database;
    private final String node;
    private final Duration stopTimeout;
    private final HumanOutput output;

    LeftoverReaper(Database database, String node, Duration stopTimeout, HumanOutput output) {
        this.database = database;
        this.node = node;
        this.stopTimeout = stopTimeout;
        this.output = output;
    }

    /** One status row of another node. */
    private record Leftover(String name, Optional<Long> pid, Optional<Instant> startedAt) {
    }

    /**
     * Stops the leftovers of dead daemons of this host and deletes their status rows.
     *
     * @return how many processes were stopped
     */
    int reap() {
        int stopped = 0;
        for (Map.Entry<String, List<Leftover>> dead : deadNodesOfThisHost().entrySet()) {
            for (Leftover leftover : dead.getValue()) {
                Optional<ProcessHandle> process = sameProcess(leftover);
                if (process.isPresent()) {
                    new ProcessTree(process.get()).terminate(stopTimeout);
                    output.line(leftover.name() + ": stopped process " + process.get().pid()
                            + ", left running by daemon " + dead.getKey() + " that died");
                    stopped++;
                }
            }
            deleteRowsOf(dead.getKey());
        }
        return stopped;
    }

    private Map<String, List<Leftover>> deadNodesOfThisHost() {
        Map<String, List<Leftover>> byNode = new LinkedHashMap<>();
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement select = c.prepareStatement(
                     "SELECT node, name, pid, process_started_at FROM " + STATUS + " WHERE node <> ? ORDER BY node, name")) {
            select.setString(1, node);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String other = rs.getString("node");
                    if (!deadOnThisHost(other)) {
                        continue;
                    }
                    long pid = rs.getLong("pid");
                    Optional<Long> pidValue = rs.wasNull() ? Optional.empty() : Optional.of(pid);
                    Optional<Instant> started = Optional.ofNullable(rs.getObject("process_started_at", OffsetDateTime.class))
                            .map(OffsetDateTime::toInstant);
                    byNode.computeIfAbsent(other, n -> new ArrayList<>())
                            .add(new Leftover(rs.getString("name"), pidValue, started));
                }
            }
        } catch (SQLException e) {
            throw new RefusedException("cannot read the status table to clean up after earlier daemons: " + e.getMessage(), e);
        }
        return byNode;
    }

    /** Whether other names a daemon of this host ({@code pid@host}) whose process is gone. */
    private boolean deadOnThisHost(String other) {
        int at = other.indexOf('@');
        if (at <= 0 || !other.substring(at).equals(node.substring(node.indexOf('@')))) {
            return false;
        }
        try {
            long pid = Long.parseLong(other.substring(0, at));
            return ProcessHandle.of(pid).filter(ProcessTree::running).isEmpty();
        } catch (NumberFormatException notOurs) {
            return false;
        }
    }

    /** The live process of the row, if it is the very one that was recorded (pid and start time). */
    private static Optional<ProcessHandle> sameProcess(Leftover leftover) {
        if (leftover.pid().isEmpty() || leftover.startedAt().isEmpty()) {
            return Optional.empty();
        }
        Instant recorded = leftover.startedAt().get().truncatedTo(ChronoUnit.MILLIS);
        return ProcessHandle.of(leftover.pid().get())
                .filter(ProcessTree::running)
                .filter(p -> p.info().startInstant().map(s -> s.truncatedTo(ChronoUnit.MILLIS).equals(recorded)).orElse(false));
    }

    private void deleteRowsOf(String deadNode) {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement delete = c.prepareStatement("DELETE FROM " + STATUS + " WHERE node = ?")) {
            delete.setString(1, deadNode);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new RefusedException("cannot delete the status rows of the dead daemon " + deadNode + ": " + e.getMessage(), e);
        }
    }
}
