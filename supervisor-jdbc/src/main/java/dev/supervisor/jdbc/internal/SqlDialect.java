package dev.supervisor.jdbc.internal;

import dev.supervisor.jdbc.Identifier;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What differs between the supported databases, and nothing else: the upsert statement, how
 * unquoted names fold case, where the vendor's migrations live, how changes are noticed, and the
 * pieces of cluster mode's lease SQL (the database clock, sequences, locking, batch claims).
 * Shared SQL is written once, in {@link TableQueries}, {@link StatusTable}, {@link LeaseTable} and
 * {@link NodeRegistry}.
 */
public interface SqlDialect {

    /** The Flyway location of this vendor's migrations (applied after {@code dev/supervisor/jdbc/migration/common}). */
    String migrationLocation();

    /** How the database stores an unquoted name: PostgreSQL folds to lower case, H2 to upper case. */
    String foldCase(String unquoted);

    /**
     * An insert-or-update of one row: parameters are the {@code keys} then the {@code values}, in order.
     * Columns the statement does not name keep their defaults (or trigger-maintained values).
     */
    String upsert(Identifier table, List<Identifier> keys, List<Identifier> values);

    /** A change source for a table that calls its sink when rows change. Not started yet. */
    ChangeSource changeSource(SignalSetup setup);

    /**
     * The database's clock moved by {@code offset}, as SQL: the only way lease and heartbeat
     * expiry is computed. The offset is written into the SQL as a whole number of milliseconds.
     */
    String databaseTimePlus(Duration offset);

    /** The next value of {@code sequence}, as SQL. */
    String nextValue(Identifier sequence);

    /** An expression to order rows randomly by. */
    String randomOrder();

    /**
     * The locking clause that keeps the selected rows from being updated or deleted by other
     * transactions until this one ends ({@code FOR SHARE} on PostgreSQL; H2 has only {@code FOR UPDATE}).
     */
    String shareLock();

    /**
     * One statement that claims many keys of {@code desired} at once and returns the
     * {@code (name, epoch)} of each key it claimed, or empty when this database needs a
     * transaction per key. A key is claimed when it still has a row in {@code desired} and has
     * no lease or an expired one. Parameters: the desired table's name (text), the owner, an
     * array of keys (sorted, so that concurrent claimers lock rows in one order).
     */
    Optional<String> claimBatch(Identifier desired, Identifier keyColumn, Duration ttl);

    /**
     * A statement that makes every node's change listener on a table see the given keys as
     * changed (parameters: the table's name as text, an array of keys), or empty when this
     * database's change source cannot be told.
     */
    Optional<String> announceKeys();
}
