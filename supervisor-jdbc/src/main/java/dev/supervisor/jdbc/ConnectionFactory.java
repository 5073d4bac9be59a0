package dev.supervisor.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens a fresh connection that is not borrowed from a pool. The PostgreSQL change signal keeps
 * one such connection open for LISTEN, and opens another when it dies.
 */
@FunctionalInterface
public interface ConnectionFactory {

    /** A new connection; the caller closes it. */
    Connection open() throws SQLException;
}
