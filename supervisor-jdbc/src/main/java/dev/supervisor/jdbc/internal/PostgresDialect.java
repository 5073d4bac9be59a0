package dev.supervisor.jdbc.internal;

import dev.supervisor.jdbc.Identifier;
import dev.supervisor.jdbc.SchemaMigration;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * PostgreSQL: {@code INSERT ... ON CONFLICT}, lower-case folding, changes by
 * {@link PgNotificationListener}, leases claimed in batches by one conditional upsert.
 */
public final class PostgresDialect implements SqlDialect {

    @Override
    public String migrationLocation() {
        return SchemaMigration.LOCATION + "/postgresql";
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
    public String shareLock() {
        return "FOR SHARE";
    }

    /*
     * ON CONFLICT DO UPDATE locks the conflicting row and evaluates its WHERE on the newest
     * version, so two nodes claiming one expired lease cannot both succeed: the second waits for
     * the first and then finds the lease live. nextval is taken for every candidate, claimed or
     * not; epochs only need to grow, not to be dense.
     */
    @Override
    public Optional<String> claimBatch(Identifier desired, Identifier keyColumn, Duration ttl) {
        Identifier leases = LeaseSchema.LEASES;
        return Optional.of("INSERT INTO " + leases + " AS l (name, table_name, owner, epoch, acquired_at, expires_at)"
                + " SELECT k.name, ?, ?, " + nextValue(LeaseSchema.EPOCHS) + ", CURRENT_TIMESTAMP, " + databaseTimePlus(ttl)
                + " FROM unnest(?::varchar[]) WITH ORDINALITY AS k(name, position)"
                + " WHERE EXISTS (SELECT 1 FROM " + desired + " p WHERE p." + keyColumn + " = k.name)"
                + " ORDER BY k.position"
                + " ON CONFLICT (name, table_name) DO UPDATE SET owner = EXCLUDED.owner, epoch = EXCLUDED.epoch,"
                + " acquired_at = EXCLUDED.acquired_at, expires_at = EXCLUDED.expires_at"
                + " WHERE l.expires_at <= CURRENT_TIMESTAMP"
                + " RETURNING l.name, l.epoch");
    }

    /** The channel is the one {@link PgNotificationListener} listens on: {@code supervisor_<table oid>}. */
    @Override
    public Optional<String> announceKeys() {
        return Optional.of("SELECT COUNT(pg_notify('supervisor_' || to_regclass(?)::oid, k)) FROM unnest(?::varchar[]) AS k");
    }
}
