package dev.supervisor.tests.cluster;

import dev.supervisor.jdbc.Dialect;
import dev.supervisor.tests.jdbc.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Checks {@code cluster_history}: no two intervals of one key overlap, and a key's epoch never goes back. */
final class HistoryCheck {

    /** Intervals a and b overlap (an open interval counts as running until now). */
    private static final String OVERLAP = " AND (b.ended_at IS NULL OR a.started_at < b.ended_at)"
            + " AND (a.ended_at IS NULL OR b.started_at < a.ended_at)";

    private HistoryCheck() {
    }

    /** Closes the open intervals of a node killed with -9: it ran them until it died, at the latest at {@code now()}. */
    static void endKilled(TestDatabase db, String node) {
        db.sql("UPDATE cluster_history SET ended_at = " + HistoryLog.clock(db.database().dialect()) + " WHERE node = '" + node
                + "' AND ended_at IS NULL");
    }

    /** Pairs of intervals of one key that overlap (an open interval counts as running until now). */
    static List<String> overlaps(TestDatabase db) {
        return rows(db, "SELECT a.name, a.node, a.epoch, a.started_at, a.ended_at, b.node, b.epoch, b.started_at, b.ended_at"
                + " FROM cluster_history a JOIN cluster_history b ON a.name = b.name AND a.id < b.id" + OVERLAP
                + " ORDER BY a.name, a.started_at LIMIT 20");
    }

    /**
     * Pairs of overlapping intervals of one key among the intervals that match filter (an SQL
     * condition on an interval {@code x}, e.g. to leave out a frozen node's intervals).
     */
    static List<String> overlapsAmong(TestDatabase db, String filter) {
        return rows(db, "SELECT a.name, a.node, a.epoch, a.started_at, a.ended_at, b.node, b.epoch, b.started_at, b.ended_at"
                + " FROM cluster_history a JOIN cluster_history b ON a.name = b.name AND a.id < b.id" + OVERLAP
                + " WHERE " + filter.replace("x.", "a.") + " AND " + filter.replace("x.", "b.")
                + " ORDER BY a.name, a.started_at LIMIT 20");
    }

    /**
     * Fenced writes that were accepted although a write with a higher epoch of the same key had
     * been made before them: a stale owner's write interleaving with the new owner's.
     */
    static List<String> staleFencedWrites(TestDatabase db) {
        return rows(db, "SELECT a.name, a.node, a.epoch, a.at, b.node, b.epoch, b.at FROM fenced_writes a JOIN fenced_writes b"
                + " ON a.name = b.name AND a.epoch < b.epoch AND a.at > b.at ORDER BY a.name LIMIT 20");
    }

    /**
     * For every interval of the given (killed) nodes, how long its key went without a process:
     * from the interval's end (the kill, as {@link #endKilled} recorded it) to the start of the
     * key's next interval, in milliseconds; a key that never ran again counts as
     * {@code Long.MAX_VALUE}.
     */
    static List<Long> failoverMillis(TestDatabase db, List<String> killedNodes) {
        String nodes = String.join("', '", killedNodes);
        String millis = db.database().dialect() == Dialect.MARIADB
                ? "CEIL(TIMESTAMPDIFF(MICROSECOND, h.ended_at, MIN(n.started_at)) / 1000)"
                : "CEIL(EXTRACT(EPOCH FROM (MIN(n.started_at) - h.ended_at)) * 1000)::BIGINT";
        return rows(db, "SELECT COALESCE(" + millis + ", "
                + Long.MAX_VALUE + ") FROM cluster_history h LEFT JOIN cluster_history n ON n.name = h.name AND n.id <> h.id"
                + " AND n.started_at >= h.ended_at WHERE h.node IN ('" + nodes + "') GROUP BY h.id, h.ended_at").stream()
                .map(Long::parseLong).sorted().toList();
    }

    /** The first column of the first row of a query, as text. */
    static String text(TestDatabase db, String query) {
        return rows(db, query).getFirst().split(" \\| ")[0];
    }

    /** Intervals whose epoch is lower than that of an earlier interval of the same key. */
    static List<String> epochsGoingBack(TestDatabase db) {
        return rows(db, "SELECT name, node, epoch, previous, started_at FROM (SELECT name, node, epoch, started_at,"
                + " lag(epoch) OVER (PARTITION BY name ORDER BY started_at) AS previous FROM cluster_history) h"
                + " WHERE epoch < previous LIMIT 20");
    }

    /** Intervals still open. */
    static List<String> open(TestDatabase db) {
        return rows(db, "SELECT name, node, epoch, started_at FROM cluster_history WHERE ended_at IS NULL LIMIT 20");
    }

    private static List<String> rows(TestDatabase db, String query) {
        List<String> rows = new ArrayList<>();
        try (Connection connection = db.plainConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(query)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i == 1 ? "" : " | ").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        } catch (SQLException e) {
            throw new AssertionError("history query failed: " + e.getMessage(), e);
        }
        return rows;
    }
}
