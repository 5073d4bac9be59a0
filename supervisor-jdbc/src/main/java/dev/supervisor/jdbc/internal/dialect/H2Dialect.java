package dev.supervisor.jdbc.internal.dialect;

import dev.supervisor.jdbc.Identifier;
import dev.supervisor.jdbc.SchemaMigration;
import dev.supervisor.jdbc.internal.lease.LeaseKeyColumn;
import dev.supervisor.jdbc.internal.signal.ChangeSource;
import dev.supervisor.jdbc.internal.signal.H2ChangePoller;
import dev.supervisor.jdbc.internal.signal.SignalSetup;
import dev.supervisor.jdbc.internal.table.SqlText;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * H2 2.x: {@code MERGE ... KEY}, upper-case folding, changes found by {@link H2ChangePoller},
 * leases claimed key by key.
 */
public final class H2Dialect implements SqlDialect {

    @Override
    public String migrationLocation() {
        return SchemaMigration.LOCATION + "/h2";
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
        return new H2ChangePoller(setup);
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

    /** H2 cannot sample a table's pages: claims there order the rows without a lease randomly. */
    @Override
    public Optional<String> sampleKey(Identifier desired, Identifier keyColumn) {
        return Optional.empty();
    }

    /** On H2 claims find dead owners' leases by reading the table's leases. */
    @Override
    public Optional<String> deadOwners() {
        return Optional.empty();
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

    @Override
    public Optional<String> claimBatch(Identifier desired, LeaseKeyColumn key, Duration ttl) {
        return Optional.empty();
    }

    @Override
    public Optional<String> announceKeys() {
        return Optional.empty(); // the revision poller watches the desired table only
    }
}
