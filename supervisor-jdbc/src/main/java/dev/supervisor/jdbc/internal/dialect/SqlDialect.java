package dev.supervisor.jdbc.internal.dialect;

import dev.supervisor.jdbc.Identifier;
import dev.supervisor.jdbc.KeyCodec;
import dev.supervisor.jdbc.internal.lease.GroupLeaseTable;
import dev.supervisor.jdbc.internal.lease.LeaseKeyColumn;
import dev.supervisor.jdbc.internal.lease.LeaseTable;
import dev.supervisor.jdbc.internal.lease.NodeRegistry;
import dev.supervisor.jdbc.internal.signal.ChangeSource;
import dev.supervisor.jdbc.internal.signal.OwnDeletes;
import dev.supervisor.jdbc.internal.signal.SignalSetup;
import dev.supervisor.jdbc.internal.table.StatusTable;
import dev.supervisor.jdbc.internal.table.TableQueries;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Everything that differs between the supported databases, and nothing else: which URLs and
 * products are this vendor's, its driver and the artifacts to name when they are missing, how
 * connections are set up, how migrations run and where they live, reserved words, and the pieces
 * of SQL that are not the same everywhere (upserts, casts, locking clauses, the database clock,
 * sequences, lists of keys), plus how changes are noticed. Shared SQL is written once, in
 * {@link TableQueries}, {@link StatusTable}, {@link LeaseTable}, {@link GroupLeaseTable} and
 * {@link NodeRegistry}; nothing outside the implementations of this interface tests a URL prefix,
 * a product name or a vendor. Implementations are stateless and thread-safe; they are found
 * through {@link dev.supervisor.jdbc.Dialect}, the registry.
 */
public interface SqlDialect {

    /**
     * Where the migrations live on the class path: {@code common}, then one folder per vendor.
     * Deliberately not {@code db/migration}, the default of Flyway and of Spring Boot.
     */
    String MIGRATIONS = "classpath:dev/supervisor/jdbc/migration";

    // ---- which databases are this vendor's ----

    /** The vendor's name for people: {@code "H2"}, {@code "PostgreSQL"}, {@code "MariaDB/MySQL"}. */
    String displayName();

    /** The JDBC URL prefixes this dialect accepts, such as {@code "jdbc:postgresql:"}. */
    List<String> urlPrefixes();

    /** True if {@code productName} (as {@code DatabaseMetaData.getDatabaseProductName()} reports it) is this vendor's. */
    boolean acceptsProduct(String productName);

    /** True if url starts with one of {@link #urlPrefixes()}. */
    default boolean acceptsUrl(String url) {
        return urlPrefixes().stream().anyMatch(url::startsWith);
    }

    // ---- libraries the application adds ----

    /** The class name of the JDBC driver for url (one of this dialect's URLs). */
    String driverClass(String url);

    /** The Maven coordinates (without version) of the JDBC driver for url. */
    String driverArtifact(String url);

    /**
     * A class of Flyway's support for this database that must be present to migrate, and the
     * Maven coordinates of its artifact; empty when flyway-core alone supports it.
     */
    default Optional<Library> flywaySupport() {
        return Optional.empty();
    }

    /** A class that must be present, and the artifact that brings it. */
    record Library(String className, String artifact) {
    }

    // ---- connections ----

    /**
     * Driver properties for connections to url (URL parameters win over them): timeouts in
     * whole seconds, the application name, and anything the dialect's SQL relies on.
     */
    default Properties driverProperties(String url, ConnectionSettings settings) {
        return new Properties();
    }

    /** What {@link #driverProperties} may set. */
    record ConnectionSettings(Duration connectionTimeout, Duration socketTimeout, String applicationName) {
    }

    /** The driver properties of the change listener's dedicated connection: {@code pool}'s, plus its own name. */
    default Properties listenerProperties(Properties pool, String listenerName) {
        Properties listener = new Properties();
        listener.putAll(pool);
        return listener;
    }

    /**
     * Properties for a dedicated connection made from a pool's settings, so that opening it never
     * hangs longer than a statement may ({@code connectTimeoutSeconds}).
     */
    default void boundConnect(Properties properties, int connectTimeoutSeconds) {
    }

    /** The isolation level of the pools {@code Database} opens; empty: the driver's default. */
    default Optional<TransactionIsolationLevel> poolIsolation() {
        return Optional.empty();
    }

    /**
     * Makes schema the connection's default schema (a database, on MariaDB and MySQL).
     *
     * @throws SQLException if it does not exist
     */
    default void useSchema(Connection connection, String schema) throws SQLException {
        connection.setSchema(schema);
    }

    /** True if HikariCP's {@code catalog} setting, not its {@code schema}, selects a schema on this database. */
    default boolean schemaIsCatalog() {
        return false;
    }

    /** The connection's current schema (its database, on MariaDB and MySQL). */
    default String currentSchema(Connection connection) throws SQLException {
        return schemaIsCatalog() ? connection.getCatalog() : connection.getSchema();
    }

    /** The columns of a table as {@link DatabaseMetaData#getColumns} lists them; names as the database stores them. */
    default ResultSet columns(DatabaseMetaData metadata, String schema, String table, String column) throws SQLException {
        return schemaIsCatalog() ? metadata.getColumns(schema, null, table, column)
                : metadata.getColumns(null, schema, table, column);
    }

    /**
     * True if creating a schema failed only because another process created it at the same time;
     * by default the standard duplicate states (PostgreSQL reports a duplicate key or schema).
     */
    default boolean schemaCreatedMeanwhile(SQLException e) {
        return "23505".equals(e.getSQLState()) || "42P06".equals(e.getSQLState());
    }

    // ---- migrations ----

    /** The Flyway locations of this vendor's migrations, in order (the shared ones first, if any). */
    List<String> migrationLocations();

    /** The smallest pool that can migrate the schema: migrating holds this many connections at once. */
    default int migrationConnections() {
        return 2;
    }

    /**
     * Runs migration, which migrates schema (null: the default one) on dataSource with Flyway,
     * serialised with other processes migrating the same schema where Flyway does not do that
     * alone.
     */
    default <T> T migrating(DataSource dataSource, String schema, Supplier<T> migration) {
        return migration.get();
    }

    /** True if e says that a table does not exist. */
    boolean undefinedTable(SQLException e);

    /** True if e says that a row with the same unique key exists; by default the standard state 23505. */
    default boolean uniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /** A lower-case name quoted so that it is used as it is (Flyway's history columns). */
    default String quoted(String name) {
        return "\"" + name + "\"";
    }

    /** How the database stores an unquoted name: PostgreSQL folds to lower case, H2 to upper case, MariaDB keeps it. */
    String foldCase(String unquoted);

    /** Words that cannot be used unquoted as a name on this database (upper case). */
    Set<String> reservedWords();

    // ---- SQL that differs ----

    /**
     * An insert-or-update of one row: parameters are the {@code keys} then the {@code values}, in order.
     * Columns the statement does not name keep their defaults (or trigger-maintained values).
     */
    String upsert(Identifier table, List<Identifier> keys, List<Identifier> values);

    /**
     * The start of an {@code INSERT} of one row that inserts nothing, without an error, when a row
     * with its key exists (MariaDB and MySQL: {@code INSERT IGNORE INTO}, whose duplicate-key errors
     * the driver would log); {@code INSERT INTO} where the caller catches the unique violation.
     */
    default String insertUnlessPresent() {
        return "INSERT INTO";
    }

    /**
     * {@code expression} as a value of a key column's type ({@code TEXT}: a string of up to 512
     * characters); by default the standard {@code CAST(... AS VARCHAR(512) | BIGINT | UUID)}.
     */
    default String cast(String expression, KeyCodec.ColumnType type) {
        return "CAST(" + expression + " AS " + switch (type) {
            case TEXT -> "VARCHAR(512)";
            case INTEGER -> "BIGINT";
            case UUID -> "UUID";
        } + ")";
    }

    /** A condition true when a and b differ, nulls compared as values. */
    default String distinct(String a, String b) {
        return a + " IS DISTINCT FROM " + b;
    }

    /** A column type for an instant; {@code NOT NULL} may follow it. */
    default String timestampType() {
        return "TIMESTAMP WITH TIME ZONE";
    }

    /** The database's clock, as SQL, to the precision of its timestamp columns. */
    default String now() {
        return "CURRENT_TIMESTAMP";
    }

    /**
     * The database's clock moved by {@code offset}, as SQL: the only way lease and heartbeat
     * expiry is computed. The offset is written into the SQL as a whole number of milliseconds.
     */
    String databaseTimePlus(Duration offset);

    /** The next value of {@code sequence}, as an SQL expression (one value per row it is evaluated for). */
    String nextValue(Identifier sequence);

    /** An expression to order rows randomly by. */
    String randomOrder();

    /**
     * True if a list of keys is bound as one SQL array ({@code = ANY(?)}); false if it is spelled
     * out as a list of parameters ({@code IN (...)}, Jdbi's {@code bindList}).
     */
    default boolean bindsArrays() {
        return true;
    }

    /**
     * A query for one key of {@code desired} picked at random from a sample of its pages, whose
     * cost depends on the sample, not on the table's size (PostgreSQL: {@code TABLESAMPLE SYSTEM});
     * empty where the database cannot sample. Parameter: the percentage of pages to sample. The
     * key is returned as the column's own type, to be bound back as it is. Empty by default.
     */
    default Optional<String> sampleKey(Identifier desired, Identifier keyColumn) {
        return Optional.empty();
    }

    /**
     * A query for the owners of leases (on any table) that have no row in the nodes table: dead
     * incarnations, whose leases may be taken over. It reads each distinct owner once from the
     * leases' owner index rather than every lease (PostgreSQL: a recursive "loose index scan"),
     * so its cost follows the number of owners, not of leases; empty where the database cannot
     * do that (the default: claims then read the table's leases). No parameters.
     */
    default Optional<String> deadOwners() {
        return Optional.empty();
    }

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
     * A subquery on the table an {@code UPDATE} or {@code DELETE} changes, in the form this
     * database accepts there (MySQL refuses the table itself; a derived table of it is read first).
     */
    default String sameTable(String subquery) {
        return subquery;
    }

    /**
     * Statements that bound, for the rest of the current transaction, how long it may wait for a
     * lock and how long its locks may outlive a client that stopped talking (frozen, or cut off):
     * PostgreSQL {@code SET LOCAL lock_timeout} and {@code idle_in_transaction_session_timeout}
     * (the server ends such a session, releasing its locks). Run first in the transaction. Empty
     * where not supported.
     */
    List<String> transactionLimits(Duration lockWait, Duration idle);

    /**
     * Statements that undo {@link #transactionLimits} once the transaction has ended, where they
     * outlive it (session settings); empty where they end with the transaction.
     */
    default List<String> transactionLimitsReset() {
        return List.of();
    }

    /**
     * One statement that claims many keys of {@code desired} at once and returns the
     * {@code (name, epoch)} of each key it claimed, or empty when this database needs a
     * transaction per key. Parameters: an array of keys whose lease belongs to a dead
     * incarnation and the array of those leases' epochs (taken over only if the lease still has
     * that epoch, skipping leases another transaction holds: a fenced transaction of a frozen
     * node never makes a claim wait), the desired table's name (text), the owner, the table's
     * name again, the table's name again, the owner again, and an array of keys without a
     * lease (created if the key still has a row and nobody created it meanwhile). Empty by default.
     */
    default Optional<String> claimBatch(Identifier desired, LeaseKeyColumn key, Duration ttl) {
        return Optional.empty();
    }

    /**
     * A statement that makes every node's change listener on a table see the given keys as
     * changed (parameters: the table's name as text, an array of keys), or empty when this
     * database's change source cannot be told (the default: other nodes find the keys within a claim round).
     */
    default Optional<String> announceKeys() {
        return Optional.empty();
    }

    // ---- change signal ----

    /** A change source for a table that calls its sink when rows change. Not started yet. */
    ChangeSource changeSource(SignalSetup setup);

    /** True if the change source checks the table every poll interval (rather than being told of changes). */
    default boolean polls() {
        return true;
    }

    /**
     * True if the change source reports a table's own deletes in commit order, one report per
     * deleted key, so that {@link OwnDeletes} can drop the reports of a table's own
     * {@code removeAll} (PostgreSQL's notifications).
     */
    default boolean reportsDeletesInCommitOrder() {
        return false;
    }
}
