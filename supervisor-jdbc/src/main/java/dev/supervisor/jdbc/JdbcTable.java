package dev.supervisor.jdbc;

import dev.supervisor.ChangeListener;
import dev.supervisor.Clock;
import dev.supervisor.Cursor;
import dev.supervisor.GroupMembership;
import dev.supervisor.GroupPolicy;
import dev.supervisor.RowState;
import dev.supervisor.Subscription;
import dev.supervisor.Table;
import dev.supervisor.TableException;
import dev.supervisor.jdbc.internal.dialect.DedicatedConnections;
import dev.supervisor.jdbc.internal.dialect.JdbiSetup;
import dev.supervisor.jdbc.internal.signal.ChangedRows;
import dev.supervisor.jdbc.internal.signal.OwnDeletes;
import dev.supervisor.jdbc.internal.signal.SignalHub;
import dev.supervisor.jdbc.internal.signal.SignalSetup;
import dev.supervisor.jdbc.internal.table.GroupColumns;
import dev.supervisor.jdbc.internal.table.KeysetCursor;
import dev.supervisor.jdbc.internal.table.RowDecoding;
import dev.supervisor.jdbc.internal.table.SqlText;
import dev.supervisor.jdbc.internal.table.StoredRow;
import dev.supervisor.jdbc.internal.table.TableQueries;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Table} in a SQL database (H2, PostgreSQL, MariaDB or MySQL): one row per key, its payload decoded into
 * the process by a {@link RowDecoder}.
 *
 * <pre>{@code
 * JdbcTable<String, Worker> table = JdbcTable.builder(dataSource, row -> new Worker(row.payload())).build();
 * table.put("mailer", "{\"queue\": \"mail\"}");   // or INSERT INTO supervisor_processes (name, payload) ...
 * Supervisor<String, Worker> supervisor = Supervisor.builder(table).build();
 * }</pre>
 *
 * <p><b>Reads.</b> {@link #get} is one query; {@link #cursor} reads in keyset pages of
 * {@link Builder#pageSize} rows, each a short query, so memory stays flat for any table size. A
 * cursor reads its pages on one pooled connection with one prepared statement, in one of the
 * table's turns (see below), and gives both back after its last page, when it is closed, and
 * between pages whenever another caller waits for a turn (or after every page when the table
 * runs one statement at a time). Values are decoded lazily;
 * a row that fails to decode fails only its own {@code value()}. Every failure of the database is
 * a {@link TableException} naming the table. At most {@link Builder#maxConcurrentStatements}
 * statements run at once; no call waits longer than twice the pool's connection timeout (once for
 * its turn, once for a connection) plus {@link Builder#queryTimeout}.
 *
 * <p><b>Change signal.</b> While someone is subscribed, the table watches for changes made by
 * anyone: on PostgreSQL by LISTEN on a dedicated connection (reconnecting when it dies); on H2,
 * MariaDB and MySQL by checking the change log its triggers fill (or, without them, the row count
 * and highest revision) every {@link Builder#pollInterval} on the table's {@link Clock}, and on H2
 * at once when the trigger runs in this JVM.
 * {@link #put} and {@link #remove} also signal local subscribers at once.
 *
 * <p>Thread-safe. Close it to stop the change signal's thread or timer; the data source is not
 * closed.
 *
 * @param <K> the key type
 * @param <P> the decoded value: for a supervisor, the process
 */
public final class JdbcTable<K, P> implements Table<K, P>, AutoCloseable {

    /** The default desired-state table, created by {@link SchemaMigration}. */
    public static final String DEFAULT_TABLE = "supervisor_processes";
    /** The default key column. */
    public static final String DEFAULT_KEY_COLUMN = "name";
    /** The default payload column. */
    public static final String DEFAULT_PAYLOAD_COLUMN = "payload";
    /** The paused column of the shipped table (migration V4_5); other tables have none unless {@link Builder#pausedColumn} names it. */
    public static final String DEFAULT_PAUSED_COLUMN = "paused";
    /** The group column of the shipped table (migration V7); see {@link Builder#groupColumns}. */
    public static final String DEFAULT_GROUP_COLUMN = "group_name";
    /** The group position column of the shipped table (migration V7). */
    public static final String DEFAULT_GROUP_POSITION_COLUMN = "group_position";
    /** The table of group policies shipped with the default table (migration V7); see {@link Builder#groupsTable}. */
    public static final String DEFAULT_GROUPS_TABLE = "supervisor_groups";
    /**
     * The restart-request column of the shipped table (migration V5); other tables have none unless
     * {@link Builder#restartRequestsColumn} names it.
     */
    public static final String DEFAULT_RESTART_REQUESTS_COLUMN = "restart_requests";
    /** The default revision column. */
    public static final String DEFAULT_REVISION_COLUMN = "revision";
    /** Rows per cursor page: 256. */
    public static final int DEFAULT_PAGE_SIZE = 256;
    /** How often H2 checks for changes: 20 ms (one cheap statement while nothing changed). */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(20);
    /** The longest a statement may run: 10 s. */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(10);
    /** Statements at once when the data source is not a HikariCP pool (HikariCP's default pool size). */
    public static final int DEFAULT_MAX_CONCURRENT_STATEMENTS = 10;
    /** The longest a statement waits for its turn when the data source is not a HikariCP pool (HikariCP's default connection timeout). */
    static final Duration DEFAULT_TURN_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(JdbcTable.class);

    private final TableQueries queries;
    private final RowDecoding<K, P> decoding;
    private final int pageSize;
    private final SignalHub<K> signals;
    private final AtomicLong pagesRead = new AtomicLong();
    private final DataSource dataSource;
    private final Dialect dialect;
    private final Identifier keyColumn;
    private final GroupColumns groups;
    private final Duration queryTimeout;
    /** The notifications of this table's own {@link #removeAll}; null where deletes are not notified by key (H2). */
    private final OwnDeletes ownDeletes;

    private JdbcTable(Builder<K, P> builder, Dialect dialect) {
        this.dataSource = builder.dataSource;
        this.dialect = dialect;
        this.keyColumn = builder.keyColumn;
        this.groups = builder.effectiveGroups();
        this.queryTimeout = builder.queryTimeout;
        Jdbi jdbi = JdbiSetup.create(builder.dataSource, builder.queryTimeout);
        this.queries = new TableQueries(jdbi, dialect.sql(), builder.table, builder.keyColumn, builder.keys.columnType(),
                builder.payloadColumn, builder.revisionColumn, builder.effectivePausedColumn(),
                builder.effectiveRestartRequestsColumn(), groups,
                builder.effectiveMaxConcurrentStatements(),
                builder.turnTimeout());
        this.decoding = new RowDecoding<>(builder.table, builder.keys, builder.decoder);
        this.pageSize = builder.pageSize;
        this.ownDeletes = dialect.sql().reportsDeletesInCommitOrder() ? new OwnDeletes() : null;
        ConnectionFactory connections = builder.connections != null
                ? builder.connections : DedicatedConnections.of(dialect.sql(), builder.dataSource);
        ChangeListener<String> sink = new ChangeListener<>() {
            @Override
            public void rowChanged(String keyText) {
                if (ownDeletes != null && ownDeletes.consume(keyText)) {
                    return; // the notification of our own removeAll: whoever asked knows
                }
                K key;
                try {
                    key = decoding.key(keyText);
                } catch (TableException e) {
                    signals.tableChanged();
                    return;
                }
                signals.rowChanged(key);
            }

            @Override
            public void tableChanged() {
                if (ownDeletes != null) {
                    ownDeletes.clear();
                }
                signals.tableChanged();
            }
        };
        SignalSetup setup = new SignalSetup(queries, connections, builder.clock, builder.pollInterval, builder.wakeups, sink);
        this.signals = new SignalHub<>(builder.table.toString(), () -> dialect.sql().changeSource(setup));
    }

    /** A builder for a table of String keys, decoded by decoder. */
    public static <P> Builder<String, P> builder(DataSource dataSource, RowDecoder<String, P> decoder) {
        return new Builder<>(dataSource, KeyCodec.STRING, decoder);
    }

    /** A builder for a table whose keys are stored as text by {@code keys}. */
    public static <K, P> Builder<K, P> builder(DataSource dataSource, KeyCodec<K> keys, RowDecoder<K, P> decoder) {
        return new Builder<>(dataSource, keys, decoder);
    }

    /** A builder on an opened {@link Database}: its pool, dialect and dedicated connections. */
    public static <P> Builder<String, P> builder(Database database, RowDecoder<String, P> decoder) {
        return new Builder<>(database.dataSource(), KeyCodec.STRING, decoder)
                .dialect(database.dialect())
                .listenConnections(database.dedicatedConnections());
    }

    /** A builder on an opened {@link Database} for a table whose keys are stored by {@code keys} (see {@link KeyCodec#LONG}, {@link KeyCodec#UUID}). */
    public static <K, P> Builder<K, P> builder(Database database, KeyCodec<K> keys, RowDecoder<K, P> decoder) {
        return new Builder<>(database.dataSource(), keys, decoder)
                .dialect(database.dialect())
                .listenConnections(database.dedicatedConnections());
    }

    /**
     * {@inheritDoc}
     *
     * @throws TableException if the database fails, or the row cannot be decoded (naming the key)
     */
    @Override
    public Optional<P> get(K key) {
        Objects.requireNonNull(key, "key");
        return queries.get(decoding.keys().encode(key)).map(row -> decoding.value(key, row));
    }

    /**
     * {@inheritDoc} Each page is read when the cursor reaches it, on one pooled connection with
     * one prepared statement while no other caller waits for a turn (see the class comment); the
     * connection goes back to the pool after the last page, or when the cursor is closed before it.
     */
    @Override
    public Cursor<K, P> cursor() {
        return new KeysetCursor<>(counted(queries.scan()), decoding, pageSize, queries.hasRevision());
    }

    /**
     * {@inheritDoc} One query ({@code SELECT MAX(revision)}, on the revision index); empty when the
     * table has no revision column. Assumes revisions grow with every insert and update, table-wide,
     * as the shipped table's sequence does (the H2 change check assumes it too).
     */
    @Override
    public OptionalLong latestRevision() {
        return queries.hasRevision() ? OptionalLong.of(queries.latestRevision()) : OptionalLong.empty();
    }

    /**
     * {@inheritDoc} Keyset pages like {@link #cursor()}, in (revision, key) order
     * ({@code WHERE revision > ? ORDER BY revision, key LIMIT n}, on the revision index): for a
     * table that did not change, one query that returns nothing.
     *
     * @throws UnsupportedOperationException if the table has no revision column
     */
    @Override
    public Cursor<K, P> changedSince(long revision) {
        if (!queries.hasRevision()) {
            throw new UnsupportedOperationException("table " + queries.table() + " has no revision column");
        }
        return new KeysetCursor<>(counted(new ChangedRows(queries, revision)), decoding, pageSize, true);
    }

    /**
     * {@inheritDoc} One query: the value, the paused column (false without one), the revision
     * (empty without a revision column), the restart-request counter (0 without one) and the group
     * (empty without group columns).
     *
     * @throws TableException if the database fails, or the row cannot be decoded (naming the key)
     */
    @Override
    public Optional<RowState<P>> row(K key) {
        Objects.requireNonNull(key, "key");
        return queries.get(decoding.keys().encode(key)).map(row -> state(key, row));
    }

    /**
     * {@inheritDoc} One query ({@code key = ANY(?)}) for all of them, each row read as
     * {@link #row} reads it.
     *
     * @throws TableException if the database fails, or a row cannot be decoded (naming its key)
     */
    @Override
    public Map<K, RowState<P>> rows(Collection<? extends K> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        Map<String, K> byText = new LinkedHashMap<>();
        for (K key : keys) {
            byText.put(decoding.keys().encode(Objects.requireNonNull(key, "key")), key);
        }
        Map<K, RowState<P>> rows = new LinkedHashMap<>();
        for (StoredRow row : queries.getAll(List.copyOf(byText.keySet()))) {
            K key = byText.get(row.key());
            if (key == null) { // the database's text form differs from the codec's: decode it
                key = decoding.keys().decode(row.key());
            }
            rows.put(key, state(key, row));
        }
        return rows;
    }

    private RowState<P> state(K key, StoredRow row) {
        return new RowState<>(decoding.value(key, row), row.paused(),
                queries.hasRevision() ? OptionalLong.of(row.revision()) : OptionalLong.empty(), row.restartRequests(),
                row.membership());
    }

    /**
     * {@inheritDoc} Read from the group columns (see {@link Builder#groupColumns}); empty without
     * them, without a query.
     *
     * @throws TableException if the database fails
     */
    @Override
    public Optional<GroupMembership> group(K key) {
        Objects.requireNonNull(key, "key");
        if (!queries.hasGroups()) {
            return Optional.empty();
        }
        return queries.get(decoding.keys().encode(key)).flatMap(StoredRow::membership);
    }

    /**
     * {@inheritDoc} Read from the groups table (see {@link Builder#groupsTable}); empty without one.
     *
     * @throws TableException if the database fails, or the group's row holds a bad policy
     */
    @Override
    public Optional<GroupPolicy> groupPolicy(String group) {
        return queries.groupPolicy(Objects.requireNonNull(group, "group"));
    }

    /**
     * Sets key's paused column ({@code UPDATE ... SET paused = ? WHERE key = ?}), then signals local
     * subscribers; other nodes see it through the change signal, like any UPDATE.
     *
     * @throws UnsupportedOperationException if the table has no paused column (see {@link Builder#pausedColumn})
     * @throws TableException if the database fails
     */
    @Override
    public boolean setPaused(K key, boolean paused) {
        Objects.requireNonNull(key, "key");
        if (!queries.hasPaused()) {
            throw new UnsupportedOperationException("table " + queries.table() + " has no paused column; name it with "
                    + "JdbcTable.Builder.pausedColumn(...)");
        }
        boolean found = queries.setPaused(decoding.keys().encode(key), paused);
        if (found) {
            signals.rowChanged(key);
        }
        return found;
    }

    /**
     * Bumps key's restart-request column ({@code UPDATE ... SET restart_requests = restart_requests + 1
     * WHERE key = ?}), then signals local subscribers; other nodes see it through the change signal,
     * like any UPDATE. Another program does the same with that statement.
     *
     * @throws UnsupportedOperationException if the table has no restart-request column (see
     *     {@link Builder#restartRequestsColumn})
     * @throws TableException if the database fails
     */
    @Override
    public boolean requestRestart(K key) {
        Objects.requireNonNull(key, "key");
        if (!queries.hasRestartRequests()) {
            throw new UnsupportedOperationException("table " + queries.table() + " has no restart-request column; name it "
                    + "with JdbcTable.Builder.restartRequestsColumn(...)");
        }
        boolean found = queries.requestRestart(decoding.keys().encode(key));
        if (found) {
            signals.rowChanged(key);
        }
        return found;
    }

    /** {@code pages}, each page it reads counted in {@link #pagesRead}. */
    private KeysetCursor.PageReader counted(KeysetCursor.PageReader pages) {
        return new KeysetCursor.PageReader() {
            @Override
            public List<StoredRow> read(String afterKey, int limit) {
                List<StoredRow> page = pages.read(afterKey, limit);
                pagesRead.incrementAndGet();
                return page;
            }

            @Override
            public void close() {
                pages.close();
            }
        };
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the table is closed
     */
    @Override
    public Subscription subscribe(ChangeListener<? super K> listener) {
        return signals.subscribe(listener);
    }

    /**
     * Inserts or replaces key's row with {@code payload}, then signals local subscribers.
     *
     * @throws TableException if the database fails
     */
    public void put(K key, String payload) {
        Objects.requireNonNull(key, "key");
        queries.upsert(decoding.keys().encode(key), payload);
        signals.rowChanged(key);
    }

    /**
     * Deletes key's row and, if there was one, signals local subscribers.
     *
     * @return true if a row was deleted
     * @throws TableException if the database fails
     */
    public boolean remove(K key) {
        Objects.requireNonNull(key, "key");
        boolean removed = queries.delete(decoding.keys().encode(key));
        if (removed) {
            signals.rowChanged(key);
        }
        return removed;
    }

    /**
     * {@inheritDoc} One {@code DELETE ... WHERE key = ANY(?)}. Subscribers of this table object are
     * not told of these deletes: on PostgreSQL the notifications they cause are dropped when they
     * arrive; other programs and nodes see them as any delete. Keys whose row was already gone are
     * signalled to local subscribers (a spurious signal, harmless), since a row inserted while
     * the statement ran might otherwise go unnoticed.
     *
     * @throws TableException if the database fails
     */
    @Override
    public void removeAll(Collection<? extends K> keys) {
        if (keys.isEmpty()) {
            return;
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (K key : keys) {
            distinct.add(decoding.keys().encode(Objects.requireNonNull(key, "key")));
        }
        List<String> texts = List.copyOf(distinct);
        if (ownDeletes != null) {
            ownDeletes.expect(texts);
        }
        int deleted;
        try {
            deleted = queries.deleteAll(texts);
        } catch (RuntimeException e) {
            if (ownDeletes != null) {
                ownDeletes.cancel(texts);
            }
            keys.forEach(signals::rowChanged);
            throw e;
        }
        if (deleted < texts.size()) {
            if (ownDeletes != null) {
                ownDeletes.cancel(texts);
            }
            keys.forEach(signals::rowChanged);
        }
    }

    /** The table's name as used in SQL. */
    public Identifier table() {
        return queries.table();
    }

    /** The table's data source (for {@link LeaseOwnership}). */
    DataSource dataSource() {
        return dataSource;
    }

    /** The table's dialect. */
    Dialect dialect() {
        return dialect;
    }

    /** The key column. */
    Identifier keyColumn() {
        return keyColumn;
    }

    /** The group columns (for {@link LeaseOwnership}, which keeps a group's members on one node). */
    GroupColumns groupColumns() {
        return groups;
    }

    /** How keys are stored. */
    KeyCodec<K> keyCodec() {
        return decoding.keys();
    }

    /** The longest a statement may run. */
    Duration queryTimeout() {
        return queryTimeout;
    }

    /** The most statements this table runs at once (see {@link Builder#maxConcurrentStatements}). */
    public int maxConcurrentStatements() {
        return queries.maxConcurrent();
    }

    /** A live view of this table's statements (running, waiting, executed), for monitoring. */
    public TableStatements statements() {
        return new TableStatements(queries, pagesRead::get);
    }

    /** How many cursor pages this table has read so far (for monitoring, and tests of paging). */
    public long pagesRead() {
        return pagesRead.get();
    }

    /** Stops the change signal and drops every subscription; reads and writes still work. */
    @Override
    public void close() {
        signals.close();
    }

    @Override
    public String toString() {
        return "JdbcTable[" + queries.table() + "]";
    }

    /**
     * Options of a {@link JdbcTable} (the table, its columns, paging, timeouts and change signal,
     * inherited from {@code TableOptions}). Setters validate at once; not thread-safe.
     *
     * @param <K> the key type
     * @param <P> the decoded value
     */
    public static final class Builder<K, P> extends TableOptions<Builder<K, P>> {
        private final DataSource dataSource;
        private final KeyCodec<K> keys;
        private final RowDecoder<K, P> decoder;

        private Builder(DataSource dataSource, KeyCodec<K> keys, RowDecoder<K, P> decoder) {
            super(dataSource);
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.keys = Objects.requireNonNull(keys, "keys");
            this.decoder = Objects.requireNonNull(decoder, "decoder");
        }

        /**
         * The table. Detects the dialect when none was given, and checks the key codec against the key
         * column's type (borrowing a connection for each).
         *
         * @throws TableException if the dialect must be detected and the database cannot be reached
         * @throws IllegalArgumentException if the key column's type is not the one the key codec binds
         *     (see {@link KeyCodec#columnType()}); the message names the table, the column, its type and the codec
         */
        public JdbcTable<K, P> build() {
            Dialect effective = dialect != null ? dialect : Dialect.detect(dataSource);
            Identifier paused = effectivePausedColumn();
            GroupColumns groups = effectiveGroups();
            Identifier requests = effectiveRestartRequestsColumn();
            SqlText.checkNames(effective.sql(), table, keyColumn, payloadColumn, revisionColumn, paused, requests,
                    groups.group(), groups.position(), groups.policies());
            KeyColumnCheck.verify(dataSource, effective, table, keyColumn, keys);
            LOG.info("JdbcTable {} ({}): columns {}, {}, {}, {}, {}, {}; groups table {}; page size {}, query timeout {}, "
                    + "at most {} statements at once{}",
                    table, effective, keyColumn, payloadColumn, revisionColumn == null ? "no revision" : revisionColumn,
                    paused == null ? "no paused" : paused, requests == null ? "no restart requests" : requests,
                    groups.group() == null ? "no group" : groups.group() + ", " + groups.position(),
                    groups.policies() == null ? "none" : groups.policies(),
                    pageSize, queryTimeout, effectiveMaxConcurrentStatements(),
                    effective.sql().polls() ? ", poll interval " + pollInterval : "");
            return new JdbcTable<>(this, effective);
        }
    }
}
