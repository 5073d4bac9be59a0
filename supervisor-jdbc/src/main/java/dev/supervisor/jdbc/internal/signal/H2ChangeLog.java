package dev.supervisor.jdbc.internal.signal;

import dev.supervisor.jdbc.H2ChangeTrigger;
import dev.supervisor.jdbc.internal.table.TableQueries;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * H2's change log, filled by {@link H2ChangeTrigger} (a Java trigger, run in the JVM hosting the
 * database, which also wakes this JVM's checks through {@link H2Wakeups}).
 *
 * <p>The snapshot is serializable, not repeatable read: H2's repeatable read keeps the rows
 * already read stable but shows rows of another table committed since, so an insert committed
 * between the count and the log read would look like an unlogged change (H2's serializable reads
 * one snapshot and blocks no writer). A change the trigger did not log ({@code TRUNCATE TABLE},
 * which fires no trigger in H2) shows in the row count, which H2 keeps at no cost.
 */
public final class H2ChangeLog implements ChangeLog {

    @Override
    public Probe inspect(Handle handle, TableQueries table) {
        String schema = table.table().schema().map(s -> s.toUpperCase(Locale.ROOT))
                .orElseGet(() -> handle.createQuery("SELECT SCHEMA()").mapTo(String.class).one());
        String name = table.table().name().toUpperCase(Locale.ROOT);
        boolean triggered = handle.createQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = ?"
                        + " AND EVENT_OBJECT_TABLE = ? AND JAVA_CLASS = ? AND EVENT_MANIPULATION = 'DELETE'")
                .bind(0, schema).bind(1, name).bind(2, H2ChangeTrigger.class.getName()).mapTo(Long.class).one() > 0;
        String database;
        try {
            database = H2Wakeups.database(handle.getConnection());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Probe(schema, name, triggered, Optional.of(H2Wakeups.key(database, schema, name)));
    }

    @Override
    public String logTable(String schema) {
        return "\"" + schema + "\"." + H2ChangeTrigger.LOG_TABLE;
    }

    @Override
    public TransactionIsolationLevel snapshot() {
        return TransactionIsolationLevel.SERIALIZABLE;
    }

    /** The row count: it must be the last count plus the logged inserts minus the logged deletes. */
    @Override
    public Optional<Fingerprint> fingerprint(TableQueries table, boolean hasRevision) {
        String count = "SELECT COUNT(*) FROM " + table.table();
        return Optional.of(new Fingerprint() {
            @Override
            public String query() {
                return count;
            }

            @Override
            public boolean unlogged(String before, String now, long delta, Set<String> keys) {
                return Long.parseLong(Objects.requireNonNull(now)) != Long.parseLong(Objects.requireNonNull(before)) + delta;
            }
        });
    }

    @Override
    public Runnable registerWakeup(String wakeKey, LongConsumer waiter) {
        return H2Wakeups.register(wakeKey, waiter);
    }

    @Override
    public boolean hostedHere(Connection connection) {
        return H2Wakeups.hostedHere(connection);
    }
}
