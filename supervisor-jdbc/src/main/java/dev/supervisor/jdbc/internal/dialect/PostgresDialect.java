package dev.supervisor.jdbc.internal.dialect;

import dev.supervisor.jdbc.Identifier;
import dev.supervisor.jdbc.internal.lease.LeaseKeyColumn;
import dev.supervisor.jdbc.internal.lease.LeaseSchema;
import dev.supervisor.jdbc.internal.signal.ChangeSource;
import dev.supervisor.jdbc.internal.signal.PgNotificationListener;
import dev.supervisor.jdbc.internal.signal.SignalSetup;
import dev.supervisor.jdbc.internal.table.SqlText;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * PostgreSQL: {@code INSERT ... ON CONFLICT}, lower-case folding, changes by
 * {@link PgNotificationListener}, leases claimed in batches by one conditional upsert.
 */
public final class PostgresDialect implements SqlDialect {

    /** Words PostgreSQL reserves (beyond the SQL standard's, which every dialect lists). */
    private static final Set<String> RESERVED = SqlWords.with("ANALYSE", "ANALYZE", "ARRAY", "ASYMMETRIC", "ILIKE",
            "SYMMETRIC");
    /** Flyway's support for PostgreSQL, a separate artifact since Flyway 10. */
    private static final Library FLYWAY = new Library("org.flywaydb.database.postgresql.PostgreSQLDatabaseType",
            "org.flywaydb:flyway-database-postgresql");

    @Override
    public String displayName() {
        return "PostgreSQL";
    }

    @Override
    public List<String> urlPrefixes() {
        return List.of("jdbc:postgresql:");
    }

    @Override
    public boolean acceptsProduct(String productName) {
        return "PostgreSQL".equalsIgnoreCase(productName);
    }

    @Override
    public String driverClass(String url) {
        return "org.postgresql.Driver";
    }

    @Override
    public String driverArtifact(String url) {
        return "org.postgresql:postgresql";
    }

    @Override
    public Optional<Library> flywaySupport() {
        return Optional.of(FLYWAY);
    }

    /** Connect and login timeouts, a socket timeout (a dead server is noticed), TCP keep-alive, and the application name. */
    @Override
    public Properties driverProperties(String url, ConnectionSettings settings) {
        Properties properties = new Properties();
        properties.setProperty("connectTimeout", Long.toString(Math.max(1, settings.connectionTimeout().toSeconds())));
        properties.setProperty("loginTimeout", Long.toString(Math.max(1, settings.connectionTimeout().toSeconds())));
        properties.setProperty("socketTimeout", Long.toString(Math.max(1, settings.socketTimeout().toSeconds())));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", settings.applicationName());
        return properties;
    }

    @Override
    public Properties listenerProperties(Properties pool, String listenerName) {
        Properties listener = SqlDialect.super.listenerProperties(pool, listenerName);
        listener.setProperty("ApplicationName", listenerName);
        return listener;
    }

    @Override
    public void boundConnect(Properties properties, int connectTimeoutSeconds) {
        properties.putIfAbsent("connectTimeout", Integer.toString(connectTimeoutSeconds));
        properties.putIfAbsent("loginTimeout", Integer.toString(connectTimeoutSeconds));
    }


    /** Flyway serialises PostgreSQL migrators with an advisory lock. */
    @Override
    public List<String> migrationLocations() {
        return List.of(MIGRATIONS + "/common", MIGRATIONS + "/postgresql");
    }

    @Override
    public boolean undefinedTable(SQLException e) {
        return "42P01".equals(e.getSQLState());
    }


    @Override
    public Set<String> reservedWords() {
        return RESERVED;
    }


    @Override
    public boolean polls() {
        return false;
    }

    @Override
    public boolean reportsDeletesInCommitOrder() {
        return true;
    }

    @Override
    public String foldCase(String unquoted) {
        return unquoted.toLowerCase(Locale.ROOT);
    }

    @Override
    public String upsert(Identifier table, List<Identifier> keys, List<Identifier> values) {
        List<Identifier> columns = SqlText.concat(keys, values);
        String updates = values.stream().map(c -> c.name() + " = EXCLUDED." + c.name()).collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " (" + SqlText.list(columns) + ") VALUES (" + SqlText.parameters(columns.size())
                + ") ON CONFLICT (" + SqlText.list(keys) + ") DO " + (values.isEmpty() ? "NOTHING" : "UPDATE SET " + updates);
    }

    @Override
    public ChangeSource changeSource(SignalSetup setup) {
        return new PgNotificationListener(setup);
    }

    @Override
    public String databaseTimePlus(Duration offset) {
        return "(CURRENT_TIMESTAMP + INTERVAL '" + offset.toMillis() + " milliseconds')";
    }

    @Override
    public String nextValue(Identifier sequence) {
        return "nextval('" + sequence + "')";
    }

    @Override
    public String randomOrder() {
        return "random()";
    }

    @Override
    public Optional<String> sampleKey(Identifier desired, Identifier keyColumn) {
        return Optional.of("SELECT s.k FROM (SELECT p." + keyColumn + " AS k FROM " + desired + " p TABLESAMPLE SYSTEM (?)) s"
                + " ORDER BY random() LIMIT 1");
    }

    @Override
    public Optional<String> deadOwners() {
        Identifier leases = LeaseSchema.LEASES;
        return Optional.of("WITH RECURSIVE owners(o) AS (SELECT MIN(owner) FROM " + leases
                + " UNION ALL SELECT (SELECT MIN(owner) FROM " + leases + " WHERE owner > owners.o) FROM owners"
                + " WHERE owners.o IS NOT NULL)"
                + " SELECT o FROM owners WHERE o IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " + LeaseSchema.NODES
                + " n WHERE n.node = o)");
    }

    @Override
    public String shareLock() {
        return "FOR SHARE";
    }

    @Override
    public String skipLocked() {
        return " FOR UPDATE SKIP LOCKED";
    }

    @Override
    public List<String> transactionLimits(Duration lockWait, Duration idle) {
        return List.of("SET LOCAL lock_timeout = " + Math.max(1, lockWait.toMillis()),
                "SET LOCAL idle_in_transaction_session_timeout = " + Math.max(1, idle.toMillis()));
    }

    /*
     * Takeovers lock the dead incarnation's lease rows with SKIP LOCKED (a row a fenced
     * transaction holds is left for a later round, never waited for) and match the epoch they
     * were found with: after a lock wait PostgreSQL re-checks the join on the newest row
     * version, so a lease another node claimed meanwhile (new epoch) is not taken. Inserts of
     * keys without a lease do nothing on conflict. nextval is taken for every candidate, claimed
     * or not; epochs only need to grow, not to be dense.
     */
    @Override
    public Optional<String> claimBatch(Identifier desired, LeaseKeyColumn key, Duration ttl) {
        Identifier leases = LeaseSchema.LEASES;
        String epoch = nextValue(LeaseSchema.EPOCHS);
        String expiry = databaseTimePlus(ttl);
        return Optional.of("WITH dead AS (SELECT l.name FROM " + leases + " l"
                + " JOIN unnest(?::varchar[], ?::bigint[]) AS c(name, epoch) ON l.name = c.name AND l.epoch = c.epoch"
                + " WHERE l.table_name = ? ORDER BY l.name FOR UPDATE OF l SKIP LOCKED),"
                + " taken AS (UPDATE " + leases + " l SET owner = ?, epoch = " + epoch + ", acquired_at = CURRENT_TIMESTAMP,"
                + " expires_at = " + expiry + " FROM dead WHERE l.name = dead.name AND l.table_name = ?"
                + " RETURNING l.name, l.epoch),"
                + " inserted AS (INSERT INTO " + leases + " (name, table_name, owner, epoch, acquired_at, expires_at)"
                + " SELECT k.name, ?, ?, " + epoch + ", CURRENT_TIMESTAMP, " + expiry
                + " FROM unnest(?::varchar[]) AS k(name)"
                + " WHERE EXISTS (SELECT 1 FROM " + desired + " p WHERE " + key.matches(this, "p", "k.name") + ")"
                + " ORDER BY k.name ON CONFLICT (name, table_name) DO NOTHING RETURNING name, epoch)"
                + " SELECT name, epoch FROM taken UNION ALL SELECT name, epoch FROM inserted");
    }

    /** The channel is the one {@link PgNotificationListener} listens on: {@code supervisor_<table oid>}. */
    @Override
    public Optional<String> announceKeys() {
        return Optional.of("SELECT COUNT(pg_notify('supervisor_' || to_regclass(?)::oid, k)) FROM unnest(?::varchar[]) AS k");
    }
}
