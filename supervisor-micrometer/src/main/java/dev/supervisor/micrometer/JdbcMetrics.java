package dev.supervisor.micrometer;

import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.jdbc.StatusWriter;
import dev.supervisor.jdbc.TableStatements;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.Optional;

/**
 * Micrometer meters for the database side of a supervisor (module {@code supervisor-jdbc}, which
 * this class needs on the class path; {@link SupervisorMetrics} does not):
 *
 * <pre>{@code
 * new JdbcMetrics("mailer", table, statusWriter).bindTo(registry);
 * }</pre>
 *
 * <p>Meters (every one tagged {@code name} = the supervisor's name, and {@code table} = the table
 * as named in SQL):
 * <ul>
 *   <li>{@value #STATEMENTS}, function counter: the table's statements run so far (reads, pages,
 *       writes, change checks), failed ones included;
 *   <li>{@value #STATEMENTS_RUNNING}, gauge: its statements running now;
 *   <li>{@value #STATEMENTS_WAITING}, gauge: callers waiting for their turn now (see
 *       {@link JdbcTable.Builder#maxConcurrentStatements}); above zero for long, the pool is too small
 *       or the database slow;
 *   <li>{@value #STATEMENTS_MAX}, gauge: the most statements it runs at once;
 *   <li>with a status writer, tagged with the status writer's table instead: {@value #STATUS_BACKLOG},
 *       gauge: keys whose latest status is not yet written; {@value #STATUS_BATCHES}, function
 *       counter: batches written; {@value #STATUS_FAILURES}, function counter: flushes that failed.
 * </ul>
 * Every meter reads the objects' own counters when scraped: nothing is added to their hot paths.
 */
public final class JdbcMetrics implements MeterBinder {

    /** Function counter of the table's statements run. */
    public static final String STATEMENTS = "supervisor.table.statements";
    /** Gauge of the table's statements running now. */
    public static final String STATEMENTS_RUNNING = "supervisor.table.statements.running";
    /** Gauge of callers waiting for a turn to run a statement. */
    public static final String STATEMENTS_WAITING = "supervisor.table.statements.waiting";
    /** Gauge of the most statements the table runs at once. */
    public static final String STATEMENTS_MAX = "supervisor.table.statements.max";
    /** Gauge of the status writer's keys not yet written. */
    public static final String STATUS_BACKLOG = "supervisor.status.backlog";
    /** Function counter of the status writer's batches written. */
    public static final String STATUS_BATCHES = "supervisor.status.batches";
    /** Function counter of the status writer's failed flushes. */
    public static final String STATUS_FAILURES = "supervisor.status.failures";

    private final String name;
    private final JdbcTable<?, ?> table;
    private final Optional<StatusWriter<?>> status;

    /** Meters for the table of the supervisor named {@code name}. */
    public JdbcMetrics(String name, JdbcTable<?, ?> table) {
        this(name, table, Optional.empty());
    }

    /** Meters for the table and the status writer of the supervisor named {@code name}. */
    public JdbcMetrics(String name, JdbcTable<?, ?> table, StatusWriter<?> status) {
        this(name, table, Optional.of(Objects.requireNonNull(status, "status")));
    }

    private JdbcMetrics(String name, JdbcTable<?, ?> table, Optional<StatusWriter<?>> status) {
        this.name = Objects.requireNonNull(name, "name");
        this.table = Objects.requireNonNull(table, "table");
        this.status = status;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        TableStatements statements = table.statements();
        Tags tableTags = Tags.of(SupervisorMetrics.NAME_TAG, name, "table", statements.table().toString());
        FunctionCounter.builder(STATEMENTS, statements, TableStatements::executed).tags(tableTags)
                .description("Statements the supervisor's table ran").register(registry);
        Gauge.builder(STATEMENTS_RUNNING, statements, TableStatements::running).tags(tableTags).strongReference(true)
                .description("The table's statements running now").register(registry);
        Gauge.builder(STATEMENTS_WAITING, statements, TableStatements::waiting).tags(tableTags).strongReference(true)
                .description("Callers waiting for a turn to run one of the table's statements").register(registry);
        Gauge.builder(STATEMENTS_MAX, statements, TableStatements::max).tags(tableTags).strongReference(true)
                .description("The most statements the table runs at once").register(registry);
        status.ifPresent(writer -> {
            Tags statusTags = Tags.of(SupervisorMetrics.NAME_TAG, name, "table", writer.table().toString());
            Gauge.builder(STATUS_BACKLOG, writer, StatusWriter::pending).tags(statusTags).strongReference(true)
                    .description("Keys whose latest status is not yet written").register(registry);
            FunctionCounter.builder(STATUS_BATCHES, writer, StatusWriter::batchesWritten).tags(statusTags)
                    .description("Status batches written").register(registry);
            FunctionCounter.builder(STATUS_FAILURES, writer, StatusWriter::failedFlushes).tags(statusTags)
                    .description("Status flushes that failed").register(registry);
        });
    }
}
