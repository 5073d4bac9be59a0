package dev.supervisor.jdbc.internal.dialect;

import dev.supervisor.jdbc.Identifier;
import dev.supervisor.jdbc.internal.signal.ChangeLogPoller;
import dev.supervisor.jdbc.internal.signal.ChangeSource;
import dev.supervisor.jdbc.internal.signal.H2ChangeLog;
import dev.supervisor.jdbc.internal.signal.SignalSetup;
import dev.supervisor.jdbc.internal.table.SqlText;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * H2 2.x: {@code MERGE ... KEY}, upper-case folding, changes found in the change log {@code H2ChangeTrigger} fills ({@link ChangeLogPoller}),
 * leases claimed key by key.
 */
public final class H2Dialect implements SqlDialect {

    /** Words H2 2.x reserves (beyond the SQL standard's, which every dialect lists). */
    private static final Set<String> RESERVED = SqlWords.with("_ROWID_", "MINUS", "QUALIFY", "ROWNUM", "TOP");
    /** SQL states of "no such table": plain, with candidates, in an empty database. */
    private static final Set<String> UNDEFINED_TABLE = Set.of("42S02", "42S03", "42S04");

    @Override
    public String displayName() {
        return "H2";
    }

    @Override
    public List<String> urlPrefixes() {
        return List.of("jdbc:h2:");
    }

    @Override
    public boolean acceptsProduct(String productName) {
        return "H2".equalsIgnoreCase(productName);
    }

    @Override
    public String driverClass(String url) {
        return "org.h2.Driver";
    }

    @Override
    public String driverArtifact(String url) {
        return "com.h2database:h2";
    }


    @Override
    public List<String> migrationLocations() {
        return List.of(MIGRATIONS + "/common", MIGRATIONS + "/h2");
    }

    /** The migration lock's connection and Flyway's two. */
    @Override
    public int migrationConnections() {
        return 3;
    }

    /**
     * Flyway's lock on H2 is a row lock on its history table, which locks nothing while that table
     * is empty: migrators first take {@link H2MigrationLock}.
     */
    @Override
    public <T> T migrating(DataSource dataSource, String schema, Supplier<T> migration) {
        return H2MigrationLock.holding(dataSource, schema, migration);
    }

    @Override
    public boolean undefinedTable(SQLException e) {
        return UNDEFINED_TABLE.contains(e.getSQLState());
    }


    @Override
    public Set<String> reservedWords() {
        return RESERVED;
    }


    @Override
    public String foldCase(String unquoted) {
        return unquoted.toUpperCase(Locale.ROOT);
    }

    @Override
    public String upsert(Identifier table, List<Identifier> keys, List<Identifier> values) {
        List<Identifier> columns = SqlText.concat(keys, values);
        return "MERGE INTO " + table + " (" + SqlText.list(columns) + ") KEY (" + SqlText.list(keys) + ") VALUES ("
                + SqlText.parameters(columns.size()) + ")";
    }

    @Override
    public ChangeSource changeSource(SignalSetup setup) {
        return new ChangeLogPoller(setup, new H2ChangeLog());
    }

    @Override
    public String databaseTimePlus(Duration offset) {
        return "DATEADD(MILLISECOND, " + offset.toMillis() + ", CURRENT_TIMESTAMP)";
    }

    @Override
    public String nextValue(Identifier sequence) {
        return "NEXT VALUE FOR " + sequence;
    }

    @Override
    public String randomOrder() {
        return "RAND()";
    }



    @Override
    public String shareLock() {
        return "FOR UPDATE";
    }

    @Override
    public String skipLocked() {
        return "";
    }

    @Override
    public List<String> transactionLimits(Duration lockWait, Duration idle) {
        return List.of();
    }


}
