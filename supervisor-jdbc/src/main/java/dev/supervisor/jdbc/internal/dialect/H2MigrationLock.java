package dev.supervisor.jdbc.internal.dialect;

import dev.supervisor.jdbc.Identifier;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Serialises H2 migrators across connections and processes with a row lock on a one-row table.
 *
 * <p>Flyway locks its history table with {@code SELECT ... FOR UPDATE}, which on H2 locks no row
 * while the table is empty: two migrators of a fresh database then both run V1, and the loser
 * records a failed migration that blocks every later start until a manual repair. Holding this
 * lock around Flyway makes the first migrator run alone; the others wait, then find nothing to do.
 */
public final class H2MigrationLock {
    /** The lock's one-row table. */
    public static final String TABLE = "SUPERVISOR_MIGRATION_LOCK";
    /** How long a migrator waits for another to finish, in milliseconds. */
    private static final int WAIT_MILLIS = 120_000;
    private static final String DUPLICATE_KEY = "23505";

    private H2MigrationLock() {
    }

    /** Runs {@code migration} while holding the lock of {@code schema} (the default schema when null). */
    public static <T> T holding(DataSource dataSource, String schema, Supplier<T> migration) {
        String table = schema == null ? TABLE : Identifier.unqualified(schema).name().toUpperCase() + "." + TABLE;
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            String lockTimeout = currentLockTimeout(connection);
            try (Statement statement = connection.createStatement()) {
                if (schema != null) {
                    statement.execute("CREATE SCHEMA IF NOT EXISTS " + Identifier.unqualified(schema).name().toUpperCase());
                }
                statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (ID INT PRIMARY KEY)");
                insertTheRow(statement, table);
                statement.execute("SET LOCK_TIMEOUT " + WAIT_MILLIS);
                connection.setAutoCommit(false);
                statement.executeQuery("SELECT ID FROM " + table + " WHERE ID = 1 FOR UPDATE").close();
                return migration.get();
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
                try (Statement restore = connection.createStatement()) {
                    restore.execute("SET LOCK_TIMEOUT " + lockTimeout);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the H2 migration lock " + table + ": " + e.getMessage(), e);
        }
    }

    private static void insertTheRow(Statement statement, String table) throws SQLException {
        try {
            statement.execute("INSERT INTO " + table + " SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM " + table + ")");
        } catch (SQLException e) {
            if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                throw e; // another migrator inserted it first: fine
            }
        }
    }

    private static String currentLockTimeout(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'LOCK_TIMEOUT'")) {
            return rows.next() ? String.valueOf(Integer.parseInt(rows.getString(1).trim())) : "1000";
        }
    }
}
