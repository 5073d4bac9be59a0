package dev.supervisor.jdbc.internal.table;

import dev.supervisor.ProcessExit;
import dev.supervisor.ProcessStatus;
import dev.supervisor.jdbc.Identifier;
import dev.supervisor.jdbc.ProcessDetails;
import dev.supervisor.jdbc.internal.dialect.SqlDialect;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The SQL of the observed-state table: upserts of (key, node) rows and deletes of retired keys,
 * written as one transaction per batch. Thread-safe.
 */
public final class StatusTable {

    /** The longest error text stored (the column's size). */
    static final int MAX_ERROR_LENGTH = 4000;
    /** The longest health result stored (the column's size). */
    static final int MAX_HEALTH_LENGTH = 1000;
    /** Where {@code last_exit} is in an upsert's row. */
    private static final int LAST_EXIT = 9;

    private static final List<Identifier> KEY_COLUMNS = columns("name", "node");
    private static final List<Identifier> VALUE_COLUMNS = columns("state", "attempt", "restarts", "started_at",
            "running_since", "next_attempt_at", "exited_at", "last_exit", "last_error", "updated_at");
    private static final List<Identifier> DETAIL_COLUMNS = columns("pid", "process_started_at", "exit_code", "health");

    private final Jdbi jdbi;
    private final String node;
    private final String upsert;
    private final String delete;
    private final boolean details;

    /** The status table {@code table}, written for {@code node}, without the process detail columns. */
    public StatusTable(Jdbi jdbi, SqlDialect dialect, Identifier table, String node) {
        this(jdbi, dialect, table, node, false);
    }

    /**
     * The status table {@code table}, written for {@code node}; with {@code details}, each upsert
     * also writes {@code pid}, {@code process_started_at}, {@code exit_code} and {@code health} from
     * its change's {@link ProcessDetails}, and its exit kind, when it has one, to {@code last_exit}
     * (otherwise those columns are left as they are).
     */
    public StatusTable(Jdbi jdbi, SqlDialect dialect, Identifier table, String node, boolean details) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.node = Objects.requireNonNull(node, "node");
        this.details = details;
        List<Identifier> values = new ArrayList<>(VALUE_COLUMNS);
        if (details) {
            values.addAll(DETAIL_COLUMNS);
        }
        this.upsert = dialect.upsert(table, KEY_COLUMNS, values);
        this.delete = "DELETE FROM " + table + " WHERE name = ? AND node = ?";
    }

    /**
     * One pending write: the latest status of a key, or its retirement (status null), with the
     * details of its OS process ({@link ProcessDetails#NONE} when there are none).
     */
    public record Change<K>(K key, ProcessStatus<K> status, Instant at, ProcessDetails details) {
        /** A change without process details. */
        public Change(K key, ProcessStatus<K> status, Instant at) {
            this(key, status, at, ProcessDetails.NONE);
        }

        /** A retirement: the key's row is deleted. */
        public boolean retired() {
            return status == null;
        }
    }

    /**
     * Writes changes in one transaction.
     *
     * @throws org.jdbi.v3.core.JdbiException if the database fails; nothing is written then
     */
    public <K> void write(List<Change<K>> changes, Function<? super K, String> keys) {
        jdbi.useTransaction(handle -> {
            PreparedBatch upserts = handle.prepareBatch(upsert);
            PreparedBatch deletes = handle.prepareBatch(delete);
            for (Change<K> change : changes) {
                String key = keys.apply(change.key());
                if (change.retired()) {
                    deletes.add(key, node);
                } else {
                    ProcessStatus<K> s = change.status();
                    Optional<ProcessExit> exit = s.lastExit();
                    Object[] row = {key, node, s.state().name(), s.attempt(), s.restarts(), timestamp(s.startedAt()),
                            timestamp(s.runningSince()), timestamp(s.nextAttemptAt()),
                            timestamp(exit.map(ProcessExit::at)), exit.map(e -> e.kind().name()).orElse(null),
                            lastError(s),
                            Timestamp.from(change.at())};
                    upserts.add(details ? withDetails(row, change.details()) : row);
                }
            }
            if (upserts.size() > 0) {
                upserts.execute();
            }
            if (deletes.size() > 0) {
                deletes.execute();
            }
        });
    }

    private static Object[] withDetails(Object[] row, ProcessDetails details) {
        Object[] all = java.util.Arrays.copyOf(row, row.length + DETAIL_COLUMNS.size());
        all[row.length] = details.pid().isPresent() ? details.pid().getAsLong() : null;
        all[row.length + 1] = timestamp(details.startedAt());
        all[row.length + 2] = details.exitCode().isPresent() ? details.exitCode().getAsInt() : null;
        all[row.length + 3] = details.health().map(h -> shortened(h, MAX_HEALTH_LENGTH)).orElse(null);
        if (all[LAST_EXIT] != null && details.exitKind().isPresent()) {
            all[LAST_EXIT] = details.exitKind().get();
        }
        return all;
    }

    private static Timestamp timestamp(Optional<Instant> instant) {
        return instant.map(Timestamp::from).orElse(null);
    }

    /** The last_error column: why the row cannot be decoded while INVALID, else the latest exit's error. */
    private static String lastError(ProcessStatus<?> status) {
        return status.invalidReason().or(() -> status.lastExit().flatMap(ProcessExit::error).map(Throwable::toString))
                .map(text -> shortened(text, MAX_ERROR_LENGTH)).orElse(null);
    }

    private static String shortened(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    private static List<Identifier> columns(String... names) {
        return java.util.Arrays.stream(names).map(Identifier::unqualified).toList();
    }
}
