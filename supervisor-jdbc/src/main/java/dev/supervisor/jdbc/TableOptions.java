package dev.supervisor.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.supervisor.Clock;
import dev.supervisor.TableException;
import dev.supervisor.jdbc.internal.table.GroupColumns;
import dev.supervisor.jdbc.internal.table.OptionChecks;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The options of a {@link JdbcTable} other than its data source, keys and decoder, inherited by
 * {@link JdbcTable.Builder}: which table and columns, paging, timeouts, the change signal. Setters
 * validate at once and return the builder; not thread-safe.
 *
 * @param <B> the builder type
 */
abstract class TableOptions<B extends TableOptions<B>> {
    private final DataSource pool;
    Identifier table = Identifier.of(JdbcTable.DEFAULT_TABLE);
    Identifier keyColumn = Identifier.of(JdbcTable.DEFAULT_KEY_COLUMN);
    Identifier payloadColumn = Identifier.of(JdbcTable.DEFAULT_PAYLOAD_COLUMN);
    Identifier revisionColumn = Identifier.of(JdbcTable.DEFAULT_REVISION_COLUMN);
    Identifier pausedColumn;
    boolean noPausedColumn;
    Identifier groupColumn;
    Identifier groupPositionColumn;
    Identifier groupsTable;
    boolean noGroups;
    Identifier restartRequestsColumn;
    boolean noRestartRequestsColumn;
    int pageSize = JdbcTable.DEFAULT_PAGE_SIZE;
    Duration pollInterval = JdbcTable.DEFAULT_POLL_INTERVAL;
    Duration queryTimeout = JdbcTable.DEFAULT_QUERY_TIMEOUT;
    int maxConcurrentStatements;
    Clock clock = Clock.system();
    boolean wakeups = true;
    Dialect dialect;
    ConnectionFactory connections;

    TableOptions(DataSource pool) {
        this.pool = Objects.requireNonNull(pool, "dataSource");
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * The table, optionally schema-qualified; default {@value JdbcTable#DEFAULT_TABLE}.
     *
     * @throws IllegalArgumentException if name is not a valid identifier
     */
    public B table(String name) {
        this.table = Identifier.of(name);
        return self();
    }

    /**
     * The key column, holding unique keys of the type the table's {@link KeyCodec} binds (text,
     * integer or UUID, checked at build); default {@value JdbcTable#DEFAULT_KEY_COLUMN}.
     */
    public B keyColumn(String name) {
        this.keyColumn = Identifier.unqualified(name);
        return self();
    }

    /** The payload column, holding text for the decoder; default {@value JdbcTable#DEFAULT_PAYLOAD_COLUMN}. */
    public B payloadColumn(String name) {
        this.payloadColumn = Identifier.unqualified(name);
        return self();
    }

    /**
     * The revision column: a number that grows on every insert and update (our migration
     * maintains it); default {@value JdbcTable#DEFAULT_REVISION_COLUMN}. On H2 it lets the change signal
     * name the changed rows.
     */
    public B revisionColumn(String name) {
        this.revisionColumn = Identifier.unqualified(name);
        return self();
    }

    /** For a table without a revision column: rows read as revision 0; H2 signals every change as tableChanged. */
    public B withoutRevisionColumn() {
        this.revisionColumn = null;
        return self();
    }

    /**
     * The paused column: a boolean, true while the row is paused (see {@link dev.supervisor.Supervisor#pause}).
     * Default: {@value JdbcTable#DEFAULT_PAUSED_COLUMN} on the shipped table {@value JdbcTable#DEFAULT_TABLE}
     * (added by migration V4_5), none on other tables, whose rows are then never paused.
     */
    public B pausedColumn(String name) {
        this.pausedColumn = Identifier.unqualified(name);
        this.noPausedColumn = false;
        return self();
    }

    /** For the shipped table's schema before migration V4_5: no paused column, rows are never paused. */
    public B withoutPausedColumn() {
        this.pausedColumn = null;
        this.noPausedColumn = true;
        return self();
    }

    Identifier effectivePausedColumn() {
        if (pausedColumn != null || noPausedColumn) {
            return pausedColumn;
        }
        return table.name().equalsIgnoreCase(JdbcTable.DEFAULT_TABLE) ? Identifier.of(JdbcTable.DEFAULT_PAUSED_COLUMN) : null;
    }

    /**
     * The group columns: {@code group} holds the name of the row's group (NULL or empty: none),
     * {@code position} a number, its place in the group's order (see
     * {@link dev.supervisor.GroupMembership}). Default: {@value JdbcTable#DEFAULT_GROUP_COLUMN} and
     * {@value JdbcTable#DEFAULT_GROUP_POSITION_COLUMN} on the shipped table (migration V7), none on
     * other tables, whose rows are then in no group.
     *
     * @throws IllegalArgumentException if a name is not a valid identifier
     */
    public B groupColumns(String group, String position) {
        this.groupColumn = Identifier.unqualified(group);
        this.groupPositionColumn = Identifier.unqualified(position);
        this.noGroups = false;
        return self();
    }

    /**
     * The table of group policies, optionally schema-qualified, with the columns of the shipped
     * {@value JdbcTable#DEFAULT_GROUPS_TABLE} ({@code name, strategy, max_restarts, period_ms}).
     * Default: {@value JdbcTable#DEFAULT_GROUPS_TABLE} with the shipped table, none with other tables
     * (their groups then take their policies from {@link dev.supervisor.Supervisor.Builder#group}).
     *
     * @throws IllegalArgumentException if name is not a valid identifier
     */
    public B groupsTable(String name) {
        this.groupsTable = Identifier.of(name);
        this.noGroups = false;
        return self();
    }

    /** For the shipped table's schema before migration V7: no group columns and no groups table. */
    public B withoutGroups() {
        this.groupColumn = null;
        this.groupPositionColumn = null;
        this.groupsTable = null;
        this.noGroups = true;
        return self();
    }

    /** The group columns and groups table in effect, each null when there is none. */
    GroupColumns effectiveGroups() {
        if (noGroups) {
            return GroupColumns.NONE;
        }
        boolean shipped = table.name().equalsIgnoreCase(JdbcTable.DEFAULT_TABLE);
        Identifier group = groupColumn != null || !shipped ? groupColumn : Identifier.of(JdbcTable.DEFAULT_GROUP_COLUMN);
        Identifier position = groupColumn != null || !shipped ? groupPositionColumn
                : Identifier.of(JdbcTable.DEFAULT_GROUP_POSITION_COLUMN);
        Identifier policies = groupsTable != null || !shipped ? groupsTable : Identifier.of(JdbcTable.DEFAULT_GROUPS_TABLE);
        return new GroupColumns(group, position, policies);
    }

    /**
     * The restart-request column: a number (bigint) that {@link JdbcTable#requestRestart} bumps, and
     * anyone may bump by SQL, to have the key's process restarted (see
     * {@link dev.supervisor.Table#requestRestart}). Default: {@value JdbcTable#DEFAULT_RESTART_REQUESTS_COLUMN}
     * on the shipped table {@value JdbcTable#DEFAULT_TABLE} (added by migration V5), none on other
     * tables, which then take no restart requests.
     */
    public B restartRequestsColumn(String name) {
        this.restartRequestsColumn = Identifier.unqualified(name);
        this.noRestartRequestsColumn = false;
        return self();
    }

    /** For the shipped table's schema before migration V5: no restart-request column, no restart requests. */
    public B withoutRestartRequestsColumn() {
        this.restartRequestsColumn = null;
        this.noRestartRequestsColumn = true;
        return self();
    }

    Identifier effectiveRestartRequestsColumn() {
        if (restartRequestsColumn != null || noRestartRequestsColumn) {
            return restartRequestsColumn;
        }
        return table.name().equalsIgnoreCase(JdbcTable.DEFAULT_TABLE)
                ? Identifier.of(JdbcTable.DEFAULT_RESTART_REQUESTS_COLUMN) : null;
    }

    /** Rows per cursor page; default {@link JdbcTable#DEFAULT_PAGE_SIZE}; 1 to 10,000. */
    public B pageSize(int rows) {
        if (rows < 1 || rows > 10_000) {
            throw new IllegalArgumentException("pageSize must be within 1..10000, was " + rows);
        }
        this.pageSize = rows;
        return self();
    }

    /**
     * H2 only: how often to check for changes; default {@link JdbcTable#DEFAULT_POLL_INTERVAL}. When
     * this JVM hosts the database and the table has {@link H2ChangeTrigger}, every change wakes the
     * check at once and the poll runs only once a second (or at this interval, if longer).
     */
    public B pollInterval(Duration interval) {
        this.pollInterval = OptionChecks.positive("pollInterval", interval);
        return self();
    }

    /** The longest one statement may run (whole seconds, at least 1); default {@link JdbcTable#DEFAULT_QUERY_TIMEOUT}. */
    public B queryTimeout(Duration timeout) {
        this.queryTimeout = OptionChecks.atLeastOneSecond("queryTimeout", timeout);
        return self();
    }

    /**
     * At most this many of the table's statements run at once; callers beyond that wait their
     * turn, first come first served. Default: the pool's maximum size when the data source is
     * a HikariCP pool, else {@value JdbcTable#DEFAULT_MAX_CONCURRENT_STATEMENTS}. A caller waits for its
     * turn at most the pool's connection timeout (30 s when the pool is not HikariCP), then
     * gets a {@link TableException}, as it would waiting for a connection.
     *
     * <p>Why: every process runs on its own virtual thread and reads the table when it ends,
     * so a burst of short-lived processes means hundreds of threads borrowing at once. Beyond
     * the pool's size they only queue inside the pool, and HikariCP's hand-off can then spin
     * the carrier threads without making progress (HikariCP issue #2398). Waiting here instead
     * costs a parked virtual thread.
     */
    public B maxConcurrentStatements(int statements) {
        this.maxConcurrentStatements = OptionChecks.atLeastOne("maxConcurrentStatements", statements);
        return self();
    }

    /** How long a statement waits for its turn: the pool's connection timeout, as if it were waiting for a connection. */
    Duration turnTimeout() {
        return pool instanceof HikariDataSource pool && pool.getConnectionTimeout() > 0
                ? Duration.ofMillis(pool.getConnectionTimeout()) : JdbcTable.DEFAULT_TURN_TIMEOUT;
    }

    int effectiveMaxConcurrentStatements() {
        if (maxConcurrentStatements > 0) {
            return maxConcurrentStatements;
        }
        return pool instanceof HikariDataSource pool ? pool.getMaximumPoolSize()
                : JdbcTable.DEFAULT_MAX_CONCURRENT_STATEMENTS;
    }

    /** The clock that times H2's checks and reconnect delays; default {@link Clock#system()}. */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /** H2: no wakeups by the trigger in this JVM, only the poll (for tests that drive each check by the clock). */
    B withoutWakeups() {
        this.wakeups = false;
        return self();
    }

    /** The database's dialect; default: detected from the connection's metadata at {@link JdbcTable.Builder#build()}. */
    public B dialect(Dialect dialect) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        return self();
    }

    /**
     * PostgreSQL only: where the change listener gets its dedicated connection; default: made
     * from the data source's configuration when it is a HikariCP pool, else the data source itself.
     */
    public B listenConnections(ConnectionFactory connections) {
        this.connections = Objects.requireNonNull(connections, "connections");
        return self();
    }
}
