package dev.supervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU time PostgreSQL's backends of some clients have used, read from {@code /proc} (the
 * server must run on this machine): the user and system clock ticks of every backend whose
 * {@code application_name} matches a pattern, compared per backend between two readings. Backends
 * that started or ended between the readings (a parallel query's workers) are left out, so
 * measure while the clients stay connected.
 */
final class PostgresCpu {

    /** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ, 100 on Linux). */
    static final int TICKS_PER_SECOND = 100;

    private PostgresCpu() {
    }

    /**
     * Ticks used so far by each backend whose application_name is LIKE pattern (pid to ticks);
     * empty if /proc cannot tell (the server runs elsewhere).
     */
    static Map<Integer, Long> ticks(String url, String pattern) throws SQLException {
        Map<Integer, Long> ticks = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(url);
             PreparedStatement query = connection.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name LIKE ?")) {
            query.setString(1, pattern);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    long used = ticksOf(rs.getInt(1));
                    if (used < 0) {
                        return Map.of();
                    }
                    ticks.put(rs.getInt(1), used);
                }
            }
        }
        return ticks;
    }

    /**
     * The ticks used between two readings by the backends present in both (a backend that
     * started in between would count its whole life, one that ended its nothing); -1 if either
     * reading could not tell.
     */
    static long between(Map<Integer, Long> before, Map<Integer, Long> after) {
        if (before.isEmpty() || after.isEmpty()) {
            return -1;
        }
        long used = 0;
        for (Map.Entry<Integer, Long> backend : after.entrySet()) {
            Long earlier = before.get(backend.getKey());
            if (earlier != null && backend.getValue() >= earlier) {
                used += backend.getValue() - earlier;
            }
        }
        return used;
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
