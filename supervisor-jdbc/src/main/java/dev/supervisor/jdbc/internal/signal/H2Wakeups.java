package dev.supervisor.jdbc.internal.signal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * Wakes the H2 change checks of this JVM when {@code H2ChangeTrigger} logs a change here: H2 runs
 * triggers in the JVM that hosts the database, so a supervisor in that JVM learns of a write at
 * once, from the writer's thread, instead of at its next poll. Checks of other JVMs still poll.
 *
 * <p>Keyed by database (its file path, or the name of an in-memory one), schema and table. A
 * waiter is called on the writer's thread before the writer commits: it must only schedule a
 * check, never block and never throw. Thread-safe.
 */
public final class H2Wakeups {

    private static final Map<String, List<LongConsumer>> WAITERS = new ConcurrentHashMap<>();

    private H2Wakeups() {
    }

    /** The database's identity as seen from this connection: its file path, or an in-memory database's name. */
    public static String database(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COALESCE(DATABASE_PATH(), DATABASE())")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * True if this connection is local to the database (this JVM hosts it), so that every write,
     * whoever makes it, runs its triggers here; false for a connection to a database another JVM
     * hosts (H2's mixed mode), or when that cannot be told.
     */
    public static boolean hostedHere(Connection connection) {
        try {
            return connection.unwrap(org.h2.jdbc.JdbcConnection.class).getSession() instanceof org.h2.engine.SessionLocal;
        } catch (SQLException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** The key of a table: database, schema and table name as H2 stores them. */
    public static String key(String database, String schema, String table) {
        return database + '\u0000' + schema + '\u0000' + table;
    }

    /** Calls {@code waiter} with the log id of each change logged for key in this JVM, until the returned handle runs. */
    public static Runnable register(String key, LongConsumer waiter) {
        WAITERS.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(waiter);
        return () -> WAITERS.computeIfPresent(key, (k, waiters) -> {
            waiters.remove(waiter);
            return waiters.isEmpty() ? null : waiters;
        });
    }

    /** Tells key's waiters that change {@code id} was logged (not yet committed); a waiter that throws is ignored. */
    public static void wake(String key, long id) {
        List<LongConsumer> waiters = WAITERS.get(key);
        if (waiters == null) {
            return;
        }
        for (LongConsumer waiter : waiters) {
            try {
                waiter.accept(id);
            } catch (RuntimeException ignored) {
                // a waiter only schedules a check; the poll still finds the change
            }
        }
    }
}
