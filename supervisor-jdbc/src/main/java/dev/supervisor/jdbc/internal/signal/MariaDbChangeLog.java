package dev.supervisor.jdbc.internal.signal;

import dev.supervisor.jdbc.internal.table.TableQueries;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The change log of MariaDB and MySQL, filled by SQL triggers (the shipped table's come with the
 * migrations; docs/jdbc.md has the recipe for a table of one's own), in the schema the migrations
 * ran in, whichever schema the watched table is in; entries name the table without its schema. A
 * table logs its changes when it has a {@code DELETE} trigger whose body writes
 * {@code supervisor_changes} or calls {@code supervisor_log_change}.
 *
 * <p>The snapshot is REPEATABLE READ: InnoDB then reads every table of the transaction from one
 * snapshot, taken at its first read, without locking a row. Counting InnoDB rows costs a scan, so
 * a change that no trigger logged ({@code TRUNCATE TABLE}, which fires none) shows instead in the
 * row with the lowest revision, one read of the revision index: it can only change if that row
 * was updated or deleted, which the log shows, or if rows went without a trace.
 */
public final class MariaDbChangeLog implements ChangeLog {

    static final String LOG_TABLE = "supervisor_changes";
    /** The function of migration V1 that logs a change and returns its id. */
    static final String LOG_FUNCTION = "supervisor_log_change";

    @Override
    public Probe inspect(Handle handle, TableQueries table) {
        String schema = table.table().schema()
                .orElseGet(() -> handle.createQuery("SELECT DATABASE()").mapTo(String.class).one());
        String name = table.table().name();
        boolean logged = handle.createQuery("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = ?"
                        + " AND EVENT_OBJECT_TABLE = ? AND EVENT_MANIPULATION = 'DELETE'"
                        + " AND (ACTION_STATEMENT LIKE ? OR ACTION_STATEMENT LIKE ?)")
                .bind(0, schema).bind(1, name).bind(2, "%" + LOG_TABLE + "%").bind(3, "%" + LOG_FUNCTION + "%")
                .mapTo(Long.class).one() > 0;
        return new Probe(schema, name, logged, Optional.empty());
    }

    /** The log the migrations created, in the connection's schema (the table itself may be in another). */
    @Override
    public String logTable(String schema) {
        return LOG_TABLE;
    }

    @Override
    public TransactionIsolationLevel snapshot() {
        return TransactionIsolationLevel.REPEATABLE_READ;
    }

    /**
     * The revision and key of the row with the lowest revision, as {@code revision:key}: when it
     * moves, the row it was must have been logged (updated or deleted), else rows went unlogged.
     * Empty without a revision column.
     */
    @Override
    public Optional<Fingerprint> fingerprint(TableQueries table, boolean hasRevision) {
        if (!hasRevision) {
            return Optional.empty();
        }
        String oldest = "SELECT CONCAT(" + table.revisionColumn() + ", ':', " + table.keyColumn() + ") FROM " + table.table()
                + " ORDER BY " + table.revisionColumn() + " LIMIT 1";
        return Optional.of(new Fingerprint() {
            @Override
            public String query() {
                return oldest;
            }

            @Override
            public boolean unlogged(String before, String now, long delta, Set<String> keys) {
                if (before == null || before.equals(now)) {
                    return false; // was empty (a truncation of nothing), or unchanged
                }
                String key = before.substring(before.indexOf(':') + 1);
                return keys != null && !keys.contains(key);
            }
        });
    }
}
