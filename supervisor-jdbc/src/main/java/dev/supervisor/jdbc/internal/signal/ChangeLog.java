package dev.supervisor.jdbc.internal.signal;

import dev.supervisor.jdbc.internal.table.TableQueries;
import java.sql.Connection;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * A database's change log, as {@link ChangeLogPoller} and {@link ChangeLogCheck} read it: a table
 * {@code supervisor_changes (id, table_name, name, op)} that triggers fill in the writer's
 * transaction, next to the watched table. What differs between databases: how to tell whether a
 * table has the triggers, which isolation level gives one snapshot of the log and the table, how
 * a change that fired no trigger ({@code TRUNCATE}) shows, and whether a write in this JVM can
 * wake the check at once (H2's triggers run in the JVM hosting the database).
 */
public interface ChangeLog {

    /** What {@link #inspect} found about a table. */
    record Probe(String schema, String name, boolean logged, Optional<String> wakeKey) {
    }

    /**
     * Reads, on handle, how the database stores the table's schema and name, whether the table's
     * triggers log its changes (deletes included), and the key under which writes in this JVM wake
     * its checks, if they can.
     */
    Probe inspect(Handle handle, TableQueries table);

    /** The log table of a table in schema, as SQL. */
    String logTable(String schema);

    /** The isolation level of a check's read: one snapshot of the log and the table, blocking no writer. */
    TransactionIsolationLevel snapshot();

    /**
     * How a change that no trigger logged shows in the table, or empty when it cannot be seen.
     *
     * @param hasRevision whether the watched table has a revision column
     */
    Optional<Fingerprint> fingerprint(TableQueries table, boolean hasRevision);

    /** Calls waiter with the log id of each change logged for wakeKey in this JVM, until the returned handle runs. */
    default Runnable registerWakeup(String wakeKey, LongConsumer waiter) {
        return () -> { };
    }

    /** True if the connection is local to the database, so every write runs its triggers in this JVM. */
    default boolean hostedHere(Connection connection) {
        return false;
    }

    /**
     * A cheap value of the watched table that changes when rows change without being logged; read
     * in the same snapshot as the log.
     */
    interface Fingerprint {
        /** A query for the value, as text (null for an empty table is fine). */
        String query();

        /**
         * True if the table changed in a way the log does not account for, between two reads of the
         * value and the entries logged in between.
         *
         * @param delta inserts minus deletes logged in between
         * @param keys the keys logged in between; null when there were too many to keep
         */
        boolean unlogged(String before, String now, long delta, Set<String> keys);
    }
}
