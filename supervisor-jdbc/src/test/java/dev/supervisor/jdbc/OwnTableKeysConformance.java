package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Cursor;
import dev.supervisor.PassReport;
import dev.supervisor.RowState;
import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A user's own table whose key column is {@code bigint} or {@code uuid}, read through
 * {@link KeyCodec#LONG} and {@link KeyCodec#UUID} across more than one page (300 rows, pages of
 * 256): the cursor, single reads and writes, and a supervisor running every row; and a codec that
 * does not match the column's type, refused at {@code build()}. One subclass per database.
 */
abstract class OwnTableKeysConformance {

    static final int ROWS = 300;

    /** The migrated database under test. */
    abstract Database database();

    /** Runs statements on a connection of their own. */
    abstract void sql(String... statements);

    /** A query giving {@code ROWS} rows of (n, 'p' || n) for n = 1..ROWS. */
    abstract String numbers();

    /** A query giving {@code ROWS} rows of (a random UUID, 'p'). */
    abstract String uuids();

    @Test
    void bigintKeysAreReadAcrossPagesInNumericOrderAndWritten() {
        sql("CREATE TABLE jobs (job_id BIGINT PRIMARY KEY, spec VARCHAR NOT NULL)",
                "INSERT INTO jobs (job_id, spec) " + numbers());
        try (JdbcTable<Long, String> table = JdbcTable.builder(database(), KeyCodec.LONG, Row::payload)
                .table("jobs").keyColumn("job_id").payloadColumn("spec").withoutRevisionColumn().build()) {
            assertThat(keys(table)).containsExactlyElementsOf(LongStream.rangeClosed(1, ROWS).boxed().toList());
            assertThat(table.get(299L)).contains("p299");
            table.put(1000L, "new");
            assertThat(table.get(1000L)).contains("new");
            assertThat(table.remove(1L)).isTrue();
            assertThat(table.get(1L)).isEmpty();
        }
    }

    @Test
    void aSupervisorRunsEveryRowOfABigintKeyedTable() {
        sql("CREATE TABLE jobs (job_id BIGINT PRIMARY KEY, spec VARCHAR NOT NULL)",
                "INSERT INTO jobs (job_id, spec) " + numbers());
        try (JdbcTable<Long, Runner> table = JdbcTable.builder(database(), KeyCodec.LONG, (Row<Long> row) -> (Runner) context -> {
                    context.ready();
                    context.awaitStop();
                }).table("jobs").keyColumn("job_id").payloadColumn("spec").withoutRevisionColumn().build();
             Supervisor<Long, Runner> supervisor = Supervisor.builder(table).reconcileInterval(Duration.ofHours(1)).build()) {
            supervisor.launch();
            await().atMost(Duration.ofSeconds(20)).until(() -> supervisor.keys().size() == ROWS);
            PassReport<Long> pass = supervisor.lastPass().orElseThrow();
            assertThat(pass.complete()).as("%s", pass.failure()).isTrue();
            assertThat(pass.rowsSeen()).isEqualTo(ROWS);
        }
    }

    @Test
    void uuidKeysAreReadAcrossPagesAndWritten() {
        sql("CREATE TABLE tasks (task_id UUID PRIMARY KEY, spec VARCHAR NOT NULL)",
                "INSERT INTO tasks (task_id, spec) " + uuids());
        try (JdbcTable<UUID, String> table = JdbcTable.builder(database(), KeyCodec.UUID, Row::payload)
                .table("tasks").keyColumn("task_id").payloadColumn("spec").withoutRevisionColumn().build()) {
            List<UUID> keys = keys(table);
            assertThat(keys).hasSize(ROWS).doesNotHaveDuplicates();
            assertThat(table.get(keys.get(ROWS - 1))).contains("p");
            UUID added = UUID.randomUUID();
            table.put(added, "new");
            assertThat(table.get(added)).contains("new");
            assertThat(table.remove(keys.getFirst())).isTrue();
        }
    }

    @Test
    void aCodecThatDoesNotMatchTheKeyColumnIsRefusedAtBuild() {
        sql("CREATE TABLE jobs (job_id BIGINT PRIMARY KEY, spec VARCHAR NOT NULL)",
                "CREATE TABLE tasks (task_id UUID PRIMARY KEY, spec VARCHAR NOT NULL)",
                "CREATE TABLE named (name VARCHAR(20) PRIMARY KEY, spec VARCHAR NOT NULL)");
        assertThatThrownBy(() -> JdbcTable.builder(database(), Row::payload)
                .table("jobs").keyColumn("job_id").payloadColumn("spec").withoutRevisionColumn().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("key column job_id of table jobs has type ", "TEXT", "KeyCodec.LONG")
                .satisfies(e -> assertThat(e.getMessage().toLowerCase()).contains("bigint"));
        assertThatThrownBy(() -> JdbcTable.builder(database(), KeyCodec.LONG, Row::payload)
                .table("tasks").keyColumn("task_id").payloadColumn("spec").withoutRevisionColumn().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("key column task_id of table tasks has type ", "INTEGER", "KeyCodec.UUID");
        assertThatThrownBy(() -> JdbcTable.builder(database(), KeyCodec.UUID, Row::payload)
                .table("named").keyColumn("name").payloadColumn("spec").withoutRevisionColumn().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("key column name of table named has type ", "UUID", "KeyCodec.STRING");
    }

    @Test
    void manyRowsAreReadInOneQueryAsEachIsReadAlone() {
        sql("CREATE TABLE jobs (job_id BIGINT PRIMARY KEY, spec VARCHAR NOT NULL)",
                "CREATE TABLE tasks (task_id UUID PRIMARY KEY, spec VARCHAR NOT NULL)",
                "INSERT INTO jobs (job_id, spec) " + numbers(), "INSERT INTO tasks (task_id, spec) " + uuids());
        try (JdbcTable<Long, String> jobs = JdbcTable.builder(database(), KeyCodec.LONG, Row::payload)
                .table("jobs").keyColumn("job_id").payloadColumn("spec").withoutRevisionColumn().build();
             JdbcTable<UUID, String> tasks = JdbcTable.builder(database(), KeyCodec.UUID, Row::payload)
                .table("tasks").keyColumn("task_id").payloadColumn("spec").withoutRevisionColumn().build()) {
            List<Long> asked = List.of(1L, 2L, 150L, 300L, 301L, 1_000_000L);
            Map<Long, RowState<String>> rows = jobs.rows(asked);
            assertThat(rows).as("rows without a row missing").containsOnlyKeys(1L, 2L, 150L, 300L);
            rows.forEach((key, state) -> assertThat(state).isEqualTo(jobs.row(key).orElseThrow()));

            List<UUID> some = keys(tasks).subList(10, 20);
            assertThat(tasks.rows(some)).containsOnlyKeys(some)
                    .allSatisfy((key, state) -> assertThat(state.value()).isEqualTo("p"));
            assertThat(tasks.rows(List.of(UUID.randomUUID()))).isEmpty();
        }
    }

    private static <K> List<K> keys(JdbcTable<K, String> table) {
        List<K> keys = new ArrayList<>();
        try (Cursor<K, String> cursor = table.cursor()) {
            while (cursor.next()) {
                keys.add(cursor.key());
            }
        }
        return keys;
    }
}
