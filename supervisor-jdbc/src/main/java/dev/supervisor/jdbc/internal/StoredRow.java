package dev.supervisor.jdbc.internal;

/** A desired-state row as read, before its key and payload are decoded. */
public record StoredRow(String key, String payload, long revision) {
}
