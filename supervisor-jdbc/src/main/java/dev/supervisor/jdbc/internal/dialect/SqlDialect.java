package dev.supervisor.jdbc.internal.dialect;

import dev.supervisor.jdbc.Identifier;
import dev.supervisor.jdbc.internal.lease.LeaseKeyColumn;
import dev.supervisor.jdbc.internal.lease.LeaseTable;
import dev.supervisor.jdbc.internal.lease.NodeRegistry;
import dev.supervisor.jdbc.internal.signal.ChangeSource;
import dev.supervisor.jdbc.internal.signal.SignalSetup;
import dev.supervisor.jdbc.internal.table.StatusTable;
import dev.supervisor.jdbc.internal.table.TableQueries;
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
     * A query for one key of {@code desired} picked at random from a sample of its pages, whose
     * cost depends on the sample, not on the table's size (PostgreSQL: {@code TABLESAMPLE SYSTEM});
     * empty where the database cannot sample. Parameter: the percentage of pages to sample. The
     * key is returned as the column's own type, to be bound back as it is.
     */
    Optional<String> sampleKey(Identifier desired, Identifier keyColumn);

    /**
     * A query for the owners of leases (on any table) that have no row in the nodes table: dead
     * incarnations, whose leases may be taken over. It reads each distinct owner once from the
     * leases' owner index rather than every lease (PostgreSQL: a recursive "loose index scan"),
     * so its cost follows the number of owners, not of leases; empty where the database cannot
     * do that. No parameters.
     */
    Optional<String> deadOwners();

    /**
     * The locking clause that keeps the selected rows from being updated or deleted by other
     * transactions until this one ends ({@code FOR SHARE} on PostgreSQL; H2 has only {@code FOR UPDATE}).
     */
    String shareLock();

    /**
     * The clause that locks the rows a subquery selects, skipping rows another transaction holds
     * (PostgreSQL: {@code FOR UPDATE SKIP LOCKED}), with a leading space; empty where the
     * database has no such clause (H2: its lock timeout bounds the wait instead).
     */
    String skipLocked();

    /**
     * Statements that bound, for the rest of the current transaction, how long it may wait for a
     * lock and how long its locks may outlive a client that stopped talking (frozen, or cut off):
     * PostgreSQL {@code SET LOCAL lock_timeout} and {@code idle_in_transaction_session_timeout}
     * (the server ends such a session, releasing its locks). Empty where not supported.
     */
    List<String> transactionLimits(Duration lockWait, Duration idle);

    /**
     * One statement that claims many keys of {@code desired} at once and returns the
     * {@code (name, epoch)} of each key it claimed, or empty when this database needs a
     * transaction per key. Parameters: an array of keys whose lease belongs to a dead
     * incarnation and the array of those leases' epochs (taken over only if the lease still has
     * that epoch, skipping leases another transaction holds: a fenced transaction of a frozen
     * node never makes a claim wait), the desired table's name (text), the owner, the table's
     * name again, the table's name again, the owner again, and an array of keys without a
     * lease (created if the key still has a row and nobody created it meanwhile).
     */
    Optional<String> claimBatch(Identifier desired, LeaseKeyColumn key, Duration ttl);

    /**
     * A statement that makes every node's change listener on a table see the given keys as
     * changed (parameters: the table's name as text, an array of keys), or empty when this
     * database's change source cannot be told.
     */
    Optional<String> announceKeys();
}
