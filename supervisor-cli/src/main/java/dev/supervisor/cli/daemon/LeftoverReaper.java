package dev.supervisor.cli.daemon;

import dev.supervisor.cli.RefusedException;
import dev.supervisor.cli.output.HumanOutput;
import dev.supervisor.cli.process.CommandLauncher;
import dev.supervisor.cli.process.ProcessGroup;
import dev.supervisor.jdbc.Database;
import dev.supervisor.jdbc.StatusWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cleans up after a daemon of this home that died without stopping its commands (kill -9, a
 * crash, a power cut), before the new daemon starts anything, so that no command ever runs
 * twice:
 *
 * <ol>
 *   <li>every process group in the home's {@link SpawnJournal} (written at each spawn, before the
 *       start grace) is stopped, SIGTERM then SIGKILL after the stop timeout, if it still runs:
 *       a leader is recognised by its pid <em>and</em> start time, so a pid reused by an
 *       unrelated process is never touched;
 *   <li>every cgroup left in the daemon's cgroup directory is killed and removed (this covers a
 *       crash between a spawn and its journal entry);
 *   <li>the status rows of dead daemons of this host ({@code pid@host} nodes whose process is
 *       gone) are deleted: they describe processes that no longer run.
 * </ol>
 * The home's lock ({@link DaemonLock}) is held meanwhile, so the dead daemon's home is this one's.
 */
final class LeftoverReaper {

    private static final String STATUS = StatusWriter.DEFAULT_TABLE;

    private final Database database;
    private final String node;
    private final Duration stopTimeout;
    private final HumanOutput output;
    private final CommandLauncher launcher;

    LeftoverReaper(Database database, String node, Duration stopTimeout, HumanOutput output, CommandLauncher launcher) {
        this.database = database;
        this.node = node;
        this.stopTimeout = stopTimeout;
        this.output = output;
        this.launcher = launcher;
    }

    /**
     * Stops what the home's dead daemons left running and deletes their status rows.
     *
     * @return how many process groups still ran and were stopped
     */
    int reap() {
        int stopped = 0;
        for (SpawnJournal.Entry entry : launcher.journal().entries()) {
            List<ProcessHandle> members = entry.group().members();
            if (!members.isEmpty()) {
                output.line(entry.name() + ": stopping " + members.size() + " process(es) of group " + entry.group().leaderPid()
                        + ", left running by a daemon that died");
                stopped++;
            }
            if (entry.group().terminate(stopTimeout)) {
                launcher.journal().forget(entry);
            } else {
                throw new RefusedException("cannot stop " + entry.group() + " of " + entry.name()
                        + ", left running by a daemon that died; stop it, then start the daemon again");
            }
        }
        launcher.cgroups().ifPresent(cgroups -> cgroups.children()
                .forEach(cgroup -> new ProcessGroup(-1, Optional.empty(), Optional.of(cgroup)).kill()));
        for (String dead : deadNodesOfThisHost()) {
            deleteRowsOf(dead);
        }
        return stopped;
    }

    private List<String> deadNodesOfThisHost() {
        List<String> dead = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement select = c.prepareStatement("SELECT DISTINCT node FROM " + STATUS + " WHERE node <> ?")) {
            select.setString(1, node);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    if (deadOnThisHost(rs.getString("node"))) {
                        dead.add(rs.getString("node"));
                    }
                }
            }
        } catch (SQLException e) {
            throw new RefusedException("cannot read the status table to clean up after earlier daemons: " + e.getMessage(), e);
        }
        return dead;
    }

    /** Whether other names a daemon of this host ({@code pid@host}) whose process is gone. */
    private boolean deadOnThisHost(String other) {
        int at = other.indexOf('@');
        if (at <= 0 || !other.substring(at).equals(node.substring(node.indexOf('@')))) {
            return false;
        }
        try {
            long pid = Long.parseLong(other.substring(0, at));
            return ProcessHandle.of(pid).filter(ProcessGroup::running).isEmpty();
        } catch (NumberFormatException notOurs) {
            return false;
        }
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
