package dev.supervisor.jdbc.internal;

/**
 * A desired-state row as read, before its key and payload are decoded; {@code paused} is false for
 * tables without a paused column, {@code revision} 0 for tables without a revision column,
 * {@code restartRequests} 0 for tables without a restart-request column.
 */
public record StoredRow(String key, String payload, long revision, boolean paused, long restartRequests) {
}
