package dev.supervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The CPU time PostgreSQL's backends of some clients have used, read from {@code /proc} (the
 * server must run on this machine): the sum of user and system clock ticks of every backend whose
 * {@code application_name} matches a pattern. Backends that ended between two readings are
 * missed, so measure while the clients stay connected.
 */
final class PostgresCpu {

    /** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ, 100 on Linux). */
    static final int TICKS_PER_SECOND = 100;

    private PostgresCpu() {
    }

    /** Ticks used so far by the backends whose application_name is LIKE pattern; -1 if /proc cannot tell. */
    static long ticks(String url, String pattern) throws SQLException {
        long total = 0;
        try (Connection connection = DriverManager.getConnection(url);
             PreparedStatement query = connection.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name LIKE ?")) {
            query.setString(1, pattern);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    long ticks = ticksOf(rs.getInt(1));
                    if (ticks < 0) {
                        return -1;
                    }
                    total += ticks;
                }
            }
        }
        return total;
    }

    private static long ticksOf(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
