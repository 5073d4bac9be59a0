package dev.supervisor.jdbc.internal.dialect;

import dev.supervisor.jdbc.Identifier;
import dev.supervisor.jdbc.KeyCodec;
import dev.supervisor.jdbc.internal.signal.ChangeLogPoller;
import dev.supervisor.jdbc.internal.signal.ChangeSource;
import dev.supervisor.jdbc.internal.signal.MariaDbChangeLog;
import dev.supervisor.jdbc.internal.signal.SignalSetup;
import dev.supervisor.jdbc.internal.table.SqlText;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * MariaDB 10.6+ and MySQL 8.0+ (InnoDB), with MariaDB Connector/J ({@code jdbc:mariadb:}) or
 * MySQL Connector/J ({@code jdbc:mysql:}). One dialect for both: the SQL here is what both accept
 * (where MariaDB has more, such as sequences or same-table subqueries, the form MySQL accepts is
 * used, so that CI, which runs MariaDB, tests what MySQL runs), and the one setting only MariaDB has
 * ({@code idle_transaction_timeout}) is in a comment only MariaDB executes.
 *
 * <ul>
 *   <li>Schemas are databases: a connection selects its schema as its catalog.</li>
 *   <li>Times are {@code TIMESTAMP(6)} and the database clock {@code CURRENT_TIMESTAMP(6)}; the pools
 *       {@code Database} opens run their sessions in UTC ({@code connectionTimeZone},
 *       {@code forceConnectionTimeZoneToSession}, {@code preserveInstants}, the same options in
 *       both drivers), so daylight saving time never makes a lease look younger.</li>
 *   <li>Transactions are READ COMMITTED, as on PostgreSQL: a locking statement locks the rows it
 *       changes, not every row it scans, and {@code SKIP LOCKED} skips only those.</li>
 *   <li>Changes are found in the change log that triggers fill ({@code ChangeLogCheck}); each
 *       logged insert and update takes its entry's id as the row's revision.</li>
 *   <li>Epochs come from {@code supervisor_lease_epoch_seq_next()}, a function over an
 *       {@code AUTO_INCREMENT} (MySQL has no sequences).</li>
 *   <li>A fenced transaction's session is ended by the server once it sits idle longer than the
 *       fence's bound: {@code wait_timeout} on both, and MariaDB's {@code idle_transaction_timeout};
 *       lock waits are bounded by {@code innodb_lock_wait_timeout}. These are session settings, so
 *       {@link #transactionLimitsReset()} sets them back after the transaction.</li>
 * </ul>
 */
public final class MariaDbDialect implements SqlDialect {

    static final String MARIADB_URL = "jdbc:mariadb:";
    static final String MYSQL_URL = "jdbc:mysql:";

    /**
     * Words MariaDB refuses as a column name (checked on MariaDB 10.11) and the ones MySQL 8.0
     * reserves on top (window functions and a few more), beyond the standard's.
     */
    private static final Set<String> RESERVED = SqlWords.with(("ACCESSIBLE ADD ALTER ANALYZE ARRAY ASC ASENSITIVE BEFORE"
            + " BIGINT BINARY BLOB BY CALL CASCADE CHANGE CHAR CHARACTER CONDITION CONTINUE CONVERT CUBE CUME_DIST"
            + " CURRENT_ROLE CURSOR DATABASE DATABASES DAY_HOUR DAY_MICROSECOND DAY_MINUTE DAY_SECOND DEC DECIMAL DECLARE"
            + " DELAYED DELETE DELETE_DOMAIN_ID DENSE_RANK DESC DESCRIBE DETERMINISTIC DISTINCTROW DIV DO_DOMAIN_IDS DOUBLE"
            + " DROP DUAL EACH ELSEIF EMPTY ENCLOSED ESCAPED EXIT EXPLAIN FIRST_VALUE FLOAT FLOAT4 FLOAT8 FORCE FULLTEXT"
            + " FUNCTION GENERATED GET GROUPING GROUPS HIGH_PRIORITY HOUR_MICROSECOND HOUR_MINUTE HOUR_SECOND IGNORE"
            + " IGNORE_DOMAIN_IDS INDEX INFILE INOUT INSENSITIVE INSERT INT INT1 INT2 INT3 INT4 INT8 INTEGER"
            + " IO_AFTER_GTIDS IO_BEFORE_GTIDS ITERATE JSON_TABLE KEYS KILL LAG LAST_VALUE LATERAL LEAD LEAVE LINEAR LINES"
            + " LOAD LOCK LONG LONGBLOB LONGTEXT LOOP LOW_PRIORITY MASTER_BIND MASTER_SSL_VERIFY_SERVER_CERT MATCH MAXVALUE"
            + " MEDIUMBLOB MEDIUMINT MEDIUMTEXT MEMBER MIDDLEINT MINUTE_MICROSECOND MINUTE_SECOND MOD MODIFIES"
            + " NO_WRITE_TO_BINLOG NTH_VALUE NTILE NUMERIC OF OPTIMIZE OPTIMIZER_COSTS OPTION OPTIONALLY OUT OUTER OUTFILE"
            + " OVER PAGE_CHECKSUM PARSE_VCOL_EXPR PARTITION PERCENT_RANK PRECISION PROCEDURE PURGE RANGE RANK READ READS"
            + " READ_WRITE REAL RECURSIVE REF_SYSTEM_ID REGEXP RELEASE RENAME REPEAT REPLACE REQUIRE RESIGNAL RESTRICT"
            + " RETURN RETURNING REVOKE RLIKE ROWS ROW_NUMBER SCHEMA SCHEMAS SECOND_MICROSECOND SENSITIVE SEPARATOR SHOW"
            + " SIGNAL SMALLINT SPATIAL SPECIFIC SQL SQLEXCEPTION SQLSTATE SQLWARNING SQL_BIG_RESULT SQL_CALC_FOUND_ROWS"
            + " SQL_SMALL_RESULT SSL STARTING STATS_AUTO_RECALC STATS_PERSISTENT STATS_SAMPLE_PAGES STORED STRAIGHT_JOIN"
            + " SYSTEM TERMINATED TINYBLOB TINYINT TINYTEXT TRIGGER UNDO UNLOCK UNSIGNED UPDATE USAGE USE UTC_DATE UTC_TIME"
            + " UTC_TIMESTAMP VARBINARY VARCHAR VARCHARACTER VARYING VIRTUAL WHILE WRITE XOR YEAR_MONTH ZEROFILL").split(" "));

    /** Flyway's support for MySQL and MariaDB, a separate artifact since Flyway 10. */
    private static final Library FLYWAY = new Library("org.flywaydb.database.mysql.MySQLDatabaseType",
            "org.flywaydb:flyway-mysql");

    /** Server error codes of "no such table" (1146) and "duplicate entry" (1062). */
    private static final int NO_SUCH_TABLE = 1146;
    private static final int DUPLICATE_ENTRY = 1062;
    private static final int DATABASE_EXISTS = 1007;

    @Override
    public String displayName() {
        return "MariaDB/MySQL";
    }

    @Override
    public List<String> urlPrefixes() {
        return List.of(MARIADB_URL, MYSQL_URL);
    }

    @Override
    public boolean acceptsProduct(String productName) {
        return "MariaDB".equalsIgnoreCase(productName) || "MySQL".equalsIgnoreCase(productName);
    }

    @Override
    public String driverClass(String url) {
        return url.startsWith(MYSQL_URL) ? "com.mysql.cj.jdbc.Driver" : "org.mariadb.jdbc.Driver";
    }

    @Override
    public String driverArtifact(String url) {
        return url.startsWith(MYSQL_URL) ? "com.mysql:mysql-connector-j" : "org.mariadb.jdbc:mariadb-java-client";
    }

    @Override
    public Optional<Library> flywaySupport() {
        return Optional.of(FLYWAY);
    }

    /**
     * Connect and socket timeouts (milliseconds in both drivers), TCP keep-alive, sessions in UTC
     * with instants preserved, and the connection's name in {@code performance_schema} (MariaDB's
     * {@code connectionAttributes}, MySQL's {@code connectionAttributes} as well).
     */
    @Override
    public Properties driverProperties(String url, ConnectionSettings settings) {
        Properties properties = new Properties();
        properties.setProperty("connectTimeout", Long.toString(Math.max(1, settings.connectionTimeout().toMillis())));
        properties.setProperty("socketTimeout", Long.toString(Math.max(1, settings.socketTimeout().toMillis())));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("connectionTimeZone", "UTC");
        properties.setProperty("forceConnectionTimeZoneToSession", "true");
        properties.setProperty("preserveInstants", "true");
        properties.setProperty("connectionAttributes", "program_name:" + settings.applicationName());
        return properties;
    }

    @Override
    public Properties listenerProperties(Properties pool, String listenerName) {
        Properties listener = SqlDialect.super.listenerProperties(pool, listenerName);
        listener.setProperty("connectionAttributes", "program_name:" + listenerName);
        return listener;
    }

    @Override
    public void boundConnect(Properties properties, int connectTimeoutSeconds) {
        properties.putIfAbsent("connectTimeout", Long.toString(connectTimeoutSeconds * 1000L));
    }

    @Override
    public Optional<TransactionIsolationLevel> poolIsolation() {
        return Optional.of(TransactionIsolationLevel.READ_COMMITTED);
    }

    @Override
    public void useSchema(Connection connection, String schema) throws SQLException {
        connection.setCatalog(schema);
    }

    @Override
    public boolean schemaIsCatalog() {
        return true;
    }

    @Override
    public boolean schemaCreatedMeanwhile(SQLException e) {
        return e.getErrorCode() == DATABASE_EXISTS;
    }

    /** Everything in a folder of its own; Flyway serialises migrators with a named lock ({@code GET_LOCK}). */
    @Override
    public List<String> migrationLocations() {
        return List.of(MIGRATIONS + "/mysql");
    }

    @Override
    public boolean undefinedTable(SQLException e) {
        return e.getErrorCode() == NO_SUCH_TABLE || "42S02".equals(e.getSQLState());
    }

    @Override
    public boolean uniqueViolation(SQLException e) {
        return e.getErrorCode() == DUPLICATE_ENTRY;
    }

    @Override
    public String quoted(String name) {
        return "`" + name + "`";
    }

    /** Names are kept as written (table names are case-sensitive where the server's files are). */
    @Override
    public String foldCase(String unquoted) {
        return unquoted;
    }

    @Override
    public Set<String> reservedWords() {
        return RESERVED;
    }

    /**
     * {@code INSERT ... ON DUPLICATE KEY UPDATE}, with {@code VALUES(column)}, which both accept
     * (MySQL 8.0.20 deprecates it for a row alias, which MariaDB lacks).
     */
    @Override
    public String upsert(Identifier table, List<Identifier> keys, List<Identifier> values) {
        List<Identifier> columns = SqlText.concat(keys, values);
        List<Identifier> updated = values.isEmpty() ? keys.subList(0, 1) : values;
        String updates = updated.stream().map(c -> c.name() + " = VALUES(" + c.name() + ")").collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " (" + SqlText.list(columns) + ") VALUES (" + SqlText.parameters(columns.size())
                + ") ON DUPLICATE KEY UPDATE " + updates;
    }

    /**
     * Only for inserts whose values cannot be refused otherwise (a lease's name, owner and
     * epoch): IGNORE also turns other errors into warnings.
     */
    @Override
    public String insertUnlessPresent() {
        return "INSERT IGNORE INTO";
    }

    /** CHAR, not VARCHAR (MySQL casts to CHAR only), compared byte for byte as the key columns are. */
    @Override
    public String cast(String expression, KeyCodec.ColumnType type) {
        return switch (type) {
            case TEXT -> "CAST(" + expression + " AS CHAR(512)) COLLATE utf8mb4_bin";
            case INTEGER -> "CAST(" + expression + " AS SIGNED)";
            case UUID -> "CAST(" + expression + " AS UUID)";
        };
    }

    @Override
    public String distinct(String a, String b) {
        return "NOT (" + a + " <=> " + b + ")";
    }

    /** With a default stated, so that no server setting ({@code explicit_defaults_for_timestamp}) adds an ON UPDATE. */
    @Override
    public String timestampType() {
        return "TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6)";
    }

    @Override
    public String now() {
        return "CURRENT_TIMESTAMP(6)";
    }

    @Override
    public String databaseTimePlus(Duration offset) {
        return "(CURRENT_TIMESTAMP(6) + INTERVAL " + offset.toMillis() * 1000 + " MICROSECOND)";
    }

    /** The function the migration creates next to the sequence's table (V2). */
    @Override
    public String nextValue(Identifier sequence) {
        return sequence + "_next()";
    }

    @Override
    public String randomOrder() {
        return "RAND()";
    }

    @Override
    public boolean bindsArrays() {
        return false;
    }



    /** Both accept it (MySQL 8.0 also {@code FOR SHARE}, which MariaDB lacks). */
    @Override
    public String shareLock() {
        return "LOCK IN SHARE MODE";
    }

    @Override
    public String skipLocked() {
        return " FOR UPDATE SKIP LOCKED";
    }

    /** A derived table, which both read in full before the update or delete (MySQL refuses the table itself). */
    @Override
    public String sameTable(String subquery) {
        return "SELECT * FROM (" + subquery + ") AS same_table";
    }

    /**
     * READ COMMITTED for this transaction (the pool's may be REPEATABLE READ, MariaDB's default),
     * lock waits bounded by {@code innodb_lock_wait_timeout}, and an idle session ended by the
     * server: {@code wait_timeout} (both; whole seconds, rounded up) and
     * {@code idle_transaction_timeout} (MariaDB 10.3+ only: {@code /*M!100300 ...}).
     */
    @Override
    public List<String> transactionLimits(Duration lockWait, Duration idle) {
        long lockSeconds = Math.max(1, ceilSeconds(lockWait));
        long idleSeconds = Math.max(1, ceilSeconds(idle));
        return List.of("SET TRANSACTION ISOLATION LEVEL READ COMMITTED",
                "SET SESSION innodb_lock_wait_timeout = " + lockSeconds + ", wait_timeout = " + idleSeconds
                        + " /*M!100300 , idle_transaction_timeout = " + idleSeconds + " */");
    }

    @Override
    public List<String> transactionLimitsReset() {
        return List.of("SET SESSION innodb_lock_wait_timeout = DEFAULT, wait_timeout = DEFAULT"
                + " /*M!100300 , idle_transaction_timeout = DEFAULT */");
    }

    private static long ceilSeconds(Duration duration) {
        return (duration.toMillis() + 999) / 1000;
    }



    @Override
    public ChangeSource changeSource(SignalSetup setup) {
        return new ChangeLogPoller(setup, new MariaDbChangeLog());
    }
}
