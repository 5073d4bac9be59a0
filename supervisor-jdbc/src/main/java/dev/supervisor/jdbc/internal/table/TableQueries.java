package dev.supervisor.jdbc.internal.table;

import dev.supervisor.GroupPolicy;
import dev.supervisor.GroupStrategy;
import dev.supervisor.TableException;
import dev.supervisor.jdbc.Identifier;
import dev.supervisor.jdbc.KeyCodec;
import dev.supervisor.jdbc.internal.dialect.SqlDialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatements;

/**
 * Every statement on one desired-state table, each a short unit of work on a pooled connection
 * (borrowed and returned within the call, but for a cursor's {@link KeysetScan}, which may keep
 * one, in its turn, from one page to the next). The SQL is built once, from checked identifiers only.
 * At most {@code maxConcurrent} statements run at once; callers beyond that wait their turn, first
 * come first served, for at most {@code turnTimeout}, so that a burst of callers never crowds the pool. Failures become
 * {@link TableException}s that name the table. Thread-safe.
 */
public final class TableQueries {

    private static final RowMapper<StoredRow> STORED_ROW = (rs, ctx) -> storedRow(rs);

    private final Jdbi jdbi;
    private final int queryTimeoutSeconds;
    private final Semaphore gate;
    private final LongAdder executed = new LongAdder();
    private final int maxConcurrent;
    private final Duration turnTimeout;
    private final Identifier table;
    private final Identifier keyColumn;
    private final Identifier revisionColumn;
    private final boolean arrays;
    private final KeyCodec.ColumnType keyType;
    private final boolean hasRevision;
    private final String setPaused;
    private final String requestRestart;
    private final String firstPage;
    private final String nextPage;
    private final String get;
    private final String upsert;
    private final String delete;
    private final String deleteAll;
    private final String getAll;
    private final String signature;
    private final String changedBetween;
    private final String groupPolicy;
    private final boolean hasGroups;
    private final String latestRevision;
    private final String changedFirstPage;
    private final String changedNextPage;

    /**
     * Queries on {@code table} with the given columns; {@code revision}, {@code paused} and
     * {@code restartRequests} may be null when the table has no such column; at most {@code maxConcurrent}
     * statements run at once, and a caller waits at most {@code turnTimeout} for its turn. Keys are passed as
     * text and bound as values of {@code keyType}, the key column's type.
     */
    public TableQueries(Jdbi jdbi, SqlDialect dialect, Identifier table, Identifier key, KeyCodec.ColumnType keyType,
                        Identifier payload, Identifier revision, Identifier paused, Identifier restartRequests,
                        GroupColumns groups, int maxConcurrent,
                        Duration turnTimeout) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        Integer timeout = jdbi.getConfig(SqlStatements.class).getQueryTimeout();
        this.queryTimeoutSeconds = timeout == null ? 0 : timeout;
        this.maxConcurrent = OptionChecks.atLeastOne("maxConcurrent", maxConcurrent);
        this.gate = new Semaphore(maxConcurrent, true);
        this.turnTimeout = OptionChecks.positive("turnTimeout", turnTimeout);
        this.table = Objects.requireNonNull(table, "table");
        this.keyColumn = Objects.requireNonNull(key, "key");
        this.revisionColumn = revision;
        this.arrays = dialect.bindsArrays();
        this.keyType = Objects.requireNonNull(keyType, "keyType");
        this.hasRevision = revision != null;
        String zero = dialect.cast("0", KeyCodec.ColumnType.INTEGER);
        String revisionExpression = hasRevision ? revision.toString() : zero;
        String pausedExpression = paused != null ? paused.toString() : "FALSE";
        String requestsExpression = restartRequests != null ? restartRequests.toString() : zero;
        this.hasGroups = groups.group() != null;
        String groupExpression = hasGroups ? groups.group() + ", " + groups.position()
                : dialect.cast("NULL", KeyCodec.ColumnType.TEXT) + ", " + zero;
        String select = "SELECT " + key + ", " + payload + ", " + revisionExpression + ", " + pausedExpression + ", "
                + requestsExpression + ", " + groupExpression + " FROM " + table;
        this.groupPolicy = groups.policies() != null
                ? "SELECT strategy, max_restarts, period_ms FROM " + groups.policies() + " WHERE name = ?" : null;
        this.requestRestart = restartRequests != null
                ? "UPDATE " + table + " SET " + restartRequests + " = " + restartRequests + " + 1 WHERE " + key + " = ?" : null;
        // only a real change: on PostgreSQL every UPDATE takes a new revision, which would restart a running process
        this.setPaused = paused != null
                ? "UPDATE " + table + " SET " + paused + " = ? WHERE " + key + " = ? AND " + dialect.distinct(paused.toString(), "?")
                : null;
        this.firstPage = select + " ORDER BY " + key + " LIMIT ?";
        this.nextPage = select + " WHERE " + key + " > ? ORDER BY " + key + " LIMIT ?";
        this.get = select + " WHERE " + key + " = ?";
        this.upsert = dialect.upsert(table, List.of(key), List.of(payload));
        this.delete = "DELETE FROM " + table + " WHERE " + key + " = ?";
        String anyKey = arrays ? key + " = ANY(:keys)" : key + " IN (<keys>)";
        this.deleteAll = "DELETE FROM " + table + " WHERE " + anyKey;
        this.getAll = select + " WHERE " + anyKey;
        this.signature = "SELECT COUNT(*), COALESCE(MAX(" + revisionExpression + "), 0) FROM " + table;
        this.latestRevision = hasRevision ? "SELECT COALESCE(MAX(" + revision + "), 0) FROM " + table : null;
        this.changedFirstPage = hasRevision
                ? select + " WHERE " + revision + " > ? ORDER BY " + revision + ", " + key + " LIMIT ?" : null;
        this.changedNextPage = hasRevision
                ? select + " WHERE " + revision + " > ? OR (" + revision + " = ? AND " + key + " > ?) ORDER BY " + revision
                        + ", " + key + " LIMIT ?"
                : null;
        this.changedBetween = hasRevision
                ? "SELECT " + key + " FROM " + table + " WHERE " + revision + " > ? AND " + revision + " <= ? ORDER BY "
                        + revision + " LIMIT ?"
                : null;
    }

    /** The table these queries read and write. */
    public Identifier table() {
        return table;
    }

    /** The table's key column. */
    public Identifier keyColumn() {
        return keyColumn;
    }

    /** The table's revision column, or null without one. */
    public Identifier revisionColumn() {
        return revisionColumn;
    }

    /** The most statements that run at once. */
    public int maxConcurrent() {
        return maxConcurrent;
    }

    /** How many statements run now (each holding a turn). */
    public int running() {
        return maxConcurrent - gate.availablePermits();
    }

    /** About how many callers wait for a turn now (an estimate, as {@link Semaphore#getQueueLength}). */
    public int waiting() {
        return gate.getQueueLength();
    }

    /** How many statements ran (successfully or not) since the table was built. */
    public long executed() {
        return executed.sum();
    }

    /** Whether the table has a revision column (a changed row then shows in {@link #changedBetween}). */
    public boolean hasRevision() {
        return hasRevision;
    }

    /**
     * The pages of one cursor in key order, read on one connection and statement kept between
     * pages while no other caller waits for a turn (see {@link KeysetScan}); closing it gives them back.
     */
    public KeysetCursor.PageReader scan() {
        return new KeysetScan(this);
    }

    /** The row for key, if any. */
    public Optional<StoredRow> get(String key) {
        return with("read", handle -> handle.createQuery(get).bind(0, key(key)).map(STORED_ROW).findOne());
    }

    /** Inserts or replaces the payload of key's row. */
    public void upsert(String key, String payload) {
        with("write to", handle -> handle.execute(upsert, key(key), payload));
    }

    /** Whether the table has group columns (rows may name a group). */
    public boolean hasGroups() {
        return hasGroups;
    }

    /** Whether the table has a paused column ({@link #setPaused} works). */
    public boolean hasPaused() {
        return setPaused != null;
    }

    /**
     * Sets key's paused flag unless it already has that value (so the row keeps its revision);
     * true if there is a row for key.
     *
     * @throws IllegalStateException if the table has no paused column
     */
    public boolean setPaused(String key, boolean paused) {
        if (setPaused == null) {
            throw new IllegalStateException("table " + table + " has no paused column");
        }
        return with("pause or resume in", handle -> handle.execute(setPaused, paused, key(key), paused)) > 0 || get(key).isPresent();
    }

    /**
     * The policy stored for {@code group} in the groups table; empty without a row or without a
     * groups table.
     *
     * @throws TableException naming the group if its row holds an unknown strategy or a bad intensity
     */
    public Optional<GroupPolicy> groupPolicy(String group) {
        if (groupPolicy == null) {
            return Optional.empty();
        }
        return with("read the groups of", handle -> handle.createQuery(groupPolicy).bind(0, group)
                .map((rs, ctx) -> policy(group, rs.getString(1), rs.getInt(2), rs.getLong(3))).findOne());
    }

    private GroupPolicy policy(String group, String strategy, int maxRestarts, long periodMillis) {
        try {
            return new GroupPolicy(GroupStrategy.valueOf(strategy.trim().toUpperCase(java.util.Locale.ROOT)), maxRestarts,
                    Duration.ofMillis(periodMillis));
        } catch (RuntimeException e) {
            throw new TableException("group " + group + " in the groups of table " + table + " has a bad policy (strategy "
                    + strategy + ", max_restarts " + maxRestarts + ", period_ms " + periodMillis + "): " + e.getMessage(), e);
        }
    }

    /** Whether the table has a restart-request column ({@link #requestRestart} works). */
    public boolean hasRestartRequests() {
        return requestRestart != null;
    }

    /**
     * Bumps key's restart-request counter; true if there is a row for key.
     *
     * @throws IllegalStateException if the table has no restart-request column
     */
    public boolean requestRestart(String key) {
        if (requestRestart == null) {
            throw new IllegalStateException("table " + table + " has no restart-request column");
        }
        return with("request a restart in", handle -> handle.execute(requestRestart, key(key))) > 0;
    }

    /** Deletes key's row; true if there was one. */
    public boolean delete(String key) {
        return with("delete from", handle -> handle.execute(delete, key(key))) > 0;
    }

    /** Deletes the rows of keys in one statement; returns how many there were. */
    public int deleteAll(List<String> keys) {
        Object[] array = keys(keys);
        return with("delete from", handle -> bindKeys(handle.createUpdate(deleteAll), array).execute());
    }

    /** The rows of these keys (text form), in one query; keys without a row are missing, the order is the database's. */
    public List<StoredRow> getAll(List<String> keys) {
        Object[] array = keys(keys);
        return with("read", handle -> bindKeys(handle.createQuery(getAll), array).map(STORED_ROW).list());
    }

    /** Binds keys as one array ({@code = ANY(:keys)}) or as a list of parameters ({@code IN (<keys>)}), as the dialect wants. */
    private <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bindKeys(S statement, Object[] keys) {
        return arrays ? statement.bind("keys", keys) : statement.bindList("keys", keys);
    }

    /** Keys (text form) as an array of the key column's type, for {@code = ANY(?)}. */
    private Object[] keys(List<String> keys) {
        return switch (keyType) {
            case TEXT -> keys.toArray(String[]::new);
            case INTEGER -> keys.stream().map(Long::valueOf).toArray(Long[]::new);
            case UUID -> keys.stream().map(java.util.UUID::fromString).toArray(java.util.UUID[]::new);
        };
    }

    /** The row count and highest revision: changes whenever a row is inserted, updated or deleted. */
    public Signature signature() {
        return with("check", handle -> handle.createQuery(signature)
                .map((rs, ctx) -> new Signature(rs.getLong(1), rs.getLong(2))).one());
    }

    /**
     * Keys of rows whose revision is in {@code (after, upTo]}, oldest first, at most {@code limit}.
     *
     * @throws IllegalStateException if the table has no revision column
     */
    public List<String> changedBetween(long after, long upTo, int limit) {
        if (!hasRevision) {
            throw new IllegalStateException("table " + table + " has no revision column");
        }
        return with("check", handle -> handle.createQuery(changedBetween).bind(0, after).bind(1, upTo).bind(2, limit)
                .mapTo(String.class).list());
    }

    /** The stored row at the result set's current row, its columns in the order of every select here. */
    static StoredRow storedRow(ResultSet rs) throws SQLException {
        return new StoredRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getBoolean(4), rs.getLong(5),
                rs.getString(6), rs.getLong(7));
    }

    /** A key's text as a value of the key column's type. */
    Object key(String text) {
        return switch (keyType) {
            case TEXT -> text;
            case INTEGER -> Long.parseLong(text);
            case UUID -> java.util.UUID.fromString(text);
        };
    }

    /**
     * Runs {@code callback} on a pooled connection in this table's turn, like every other statement
     * here; a failure becomes a {@link TableException} saying "cannot {@code verb} table ...".
     */
    public <R> R inTurn(String verb, HandleCallback<R, RuntimeException> callback) {
        return with(verb, callback);
    }

    /**
     * The highest revision of any row (0 when empty): one read of the revision index.
     *
     * @throws IllegalStateException if the table has no revision column
     */
    public long latestRevision() {
        requireRevision();
        return with("check", handle -> handle.createQuery(latestRevision).mapTo(Long.class).one());
    }

    /**
     * Up to {@code limit} rows whose revision is above {@code after}, in (revision, key) order;
     * with {@code last} (the previous page's last row), the rows after it in that order.
     *
     * @throws IllegalStateException if the table has no revision column
     */
    public List<StoredRow> changedPage(long after, StoredRow last, int limit) {
        requireRevision();
        return with("read the changed rows of", handle -> last == null
                ? handle.createQuery(changedFirstPage).bind(0, after).bind(1, limit).map(STORED_ROW).list()
                : handle.createQuery(changedNextPage).bind(0, last.revision()).bind(1, last.revision()).bind(2, key(last.key()))
                        .bind(3, limit).map(STORED_ROW).list());
    }

    private void requireRevision() {
        if (!hasRevision) {
            throw new IllegalStateException("table " + table + " has no revision column");
        }
    }

    /** The select of the first page: one parameter, the limit. */
    String firstPageSql() {
        return firstPage;
    }

    /** The select of a page after a key: the key, then the limit. */
    String nextPageSql() {
        return nextPage;
    }

    /** A handle on a pooled connection, for a caller that keeps it across statements and closes it. */
    Handle openHandle() {
        return jdbi.open();
    }

    /** The query timeout every statement of this table sets, in seconds. */
    int queryTimeoutSeconds() {
        return queryTimeoutSeconds;
    }

    /** A failure to {@code verb} this table, as {@link #with} reports it. */
    TableException failure(String verb, Throwable cause) {
        return new TableException("cannot " + verb + " table " + table + ": " + rootMessage(cause), cause);
    }

    private <R> R with(String verb, HandleCallback<R, RuntimeException> callback) {
        takeTurn(verb);
        try {
            return jdbi.withHandle(callback);
        } catch (JdbiException e) {
            throw failure(verb, e);
        } finally {
            releaseTurn();
        }
    }

    /**
     * Waits for one of this table's turns (at most {@code turnTimeout}) and counts a statement;
     * the caller runs it and then calls {@link #releaseTurn}. A caller may keep its turn across
     * several statements (a {@link KeysetScan}), counted once each with {@link #countStatement}.
     *
     * @throws TableException saying "cannot {@code verb} table ..." if no turn came in time, or the wait was interrupted (kept)
     */
    void takeTurn(String verb) {
        try {
            if (!gate.tryAcquire(turnTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new TableException("cannot " + verb + " table " + table + ": no turn within " + turnTimeout
                        + ", while " + maxConcurrent + " of its statements were running (is the database slow or down?)", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TableException("interrupted while waiting to " + verb + " table " + table, e);
        }
        countStatement();
    }

    /** Counts one more statement run in a turn already held. */
    void countStatement() {
        executed.increment();
    }

    /** Gives back a turn taken with {@link #takeTurn}. */
    void releaseTurn() {
        gate.release();
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    /** A cheap fingerprint of the table's contents. */
    public record Signature(long count, long maxRevision) {
    }

}
