package dev.supervisor.jdbc;

import dev.supervisor.jdbc.internal.signal.H2Wakeups;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.h2.api.Trigger;

/**
 * H2's exact change signal: an {@code AFTER INSERT, UPDATE, DELETE ... FOR EACH ROW} trigger that
 * logs each changed row's key in {@code supervisor_changes} (migration V6), in the writer's own
 * transaction, so that a supervisor's next check reads exactly the rows changed since its last
 * one, deletes included. The shipped table has it; attach it to your own H2 table (in a schema
 * that has {@code supervisor_changes}, i.e. where {@link SchemaMigration} ran) with:
 *
 * <pre>{@code
 * CREATE TRIGGER jobs_changes AFTER INSERT, UPDATE, DELETE ON jobs FOR EACH ROW CALL 'dev.supervisor.jdbc.H2ChangeTrigger'
 * }</pre>
 *
 * <p>The key is the table's primary key, which must be a single column. H2 runs a trigger in the
 * JVM that hosts the database (in mixed mode, the one that opened the file first; the others
 * connect to it), so this class must be on that JVM's class path; when that JVM also runs the
 * supervisor, the trigger wakes its change check at once instead of at its next poll. Not for
 * direct use: H2 creates and calls it.
 */
public final class H2ChangeTrigger implements Trigger {

    /** The change log's table (created by migration V6), in the watched table's schema. */
    public static final String LOG_TABLE = "SUPERVISOR_CHANGES";

    /*
     * ALTER TABLE rebuilds the table as a copy named <table>_COPY_<n>_<m>, initialises the copy's
     * triggers with that name, then renames the copy to <table> without initialising them again;
     * the suffix is dropped so that the trigger keeps naming the real table.
     */
    private static final Pattern COPY_SUFFIX = Pattern.compile("_COPY_\\d+_\\d+$");

    private String schema;
    private String table;
    private int keyIndex = -1;
    private String insert;
    private String wakeupKey;

    /** Creates the trigger; H2 calls it. */
    public H2ChangeTrigger() {
    }

    /**
     * Remembers the watched table; H2 calls it once per trigger.
     *
     * @throws SQLException if the trigger runs before the change (it must run after it)
     */
    @Override
    public void init(Connection connection, String schemaName, String triggerName, String tableName, boolean before,
                     int type) throws SQLException {
        if (before) {
            throw new SQLException("trigger " + triggerName + " on " + schemaName + "." + tableName + " must be an AFTER "
                    + "trigger: " + getClass().getName() + " logs committed-with-the-row changes");
        }
        this.schema = schemaName;
        this.table = COPY_SUFFIX.matcher(tableName).replaceFirst("");
    }

    /**
     * Logs one changed row: {@code I} with the new row's key, {@code D} with the old one's, {@code U}
     * when an update kept the key (an update that changed the key logs a {@code D} and an {@code I}).
     *
     * @throws SQLException if the table has no single-column primary key, or the log cannot be written
     */
    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        prepare(connection);
        Object oldKey = oldRow == null ? null : oldRow[keyIndex];
        Object newKey = newRow == null ? null : newRow[keyIndex];
        long id;
        if (oldKey == null) {
            id = log(connection, newKey, "I");
        } else if (newKey == null) {
            id = log(connection, oldKey, "D");
        } else if (oldKey.equals(newKey)) {
            id = log(connection, newKey, "U");
        } else {
            log(connection, oldKey, "D");
            id = log(connection, newKey, "I");
        }
        H2Wakeups.wake(wakeupKey, id);
    }

    private synchronized void prepare(Connection connection) throws SQLException {
        if (insert != null) {
            return;
        }
        keyIndex = keyIndex(connection.getMetaData());
        wakeupKey = H2Wakeups.key(H2Wakeups.database(connection), schema, table);
        insert = "INSERT INTO \"" + schema + "\"." + LOG_TABLE + " (table_name, name, op) VALUES (?, ?, ?)";
    }

    private int keyIndex(DatabaseMetaData metadata) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (ResultSet rs = metadata.getPrimaryKeys(null, schema, table)) {
            while (rs.next()) {
                keys.add(rs.getString("COLUMN_NAME"));
            }
        }
        if (keys.size() != 1) {
            throw new SQLException("table " + schema + "." + table + " has " + (keys.isEmpty() ? "no primary key" : "a primary key "
                    + "of " + keys.size() + " columns " + keys) + ": " + getClass().getName() + " logs changes by a "
                    + "single-column primary key (the supervisor's key column)");
        }
        try (ResultSet rs = metadata.getColumns(null, schema, table, keys.getFirst())) {
            if (!rs.next()) {
                throw new SQLException("cannot find the key column " + keys.getFirst() + " of " + schema + "." + table);
            }
            return rs.getInt("ORDINAL_POSITION") - 1;
        }
    }

    private long log(Connection connection, Object key, String op) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(insert, Statement.RETURN_GENERATED_KEYS)) {
            statement.setString(1, table);
            statement.setString(2, key.toString());
            statement.setString(3, op);
            statement.executeUpdate();
            try (ResultSet ids = statement.getGeneratedKeys()) {
                return ids.next() ? ids.getLong(1) : 0;
            }
        }
    }

    /** Nothing to release. */
    @Override
    public void close() {
    }

    /** Nothing to release. */
    @Override
    public void remove() {
    }
}
