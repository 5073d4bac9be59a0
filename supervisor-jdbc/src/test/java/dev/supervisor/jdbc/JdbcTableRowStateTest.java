package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervisor.Cursor;
import dev.supervisor.RowState;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The paused column and the revision, as the supervisor reads them: the shipped table and a user's own. */
@Timeout(60)
class JdbcTableRowStateTest {

    private final H2Memory h2 = new H2Memory();

    @AfterEach
    void close() {
        h2.close();
    }

    @Test
    void theShippedTableHasAPausedColumnWrittenBySetPausedOrPlainSql() {
        try (JdbcTable<String, String> table = JdbcTable.builder(h2.database, Row::payload).build()) {
            table.put("a", "x");
            RowState<String> fresh = table.row("a").orElseThrow();
            assertThat(fresh.paused()).isFalse();
            assertThat(fresh.revision()).isPresent();

            assertThat(table.setPaused("a", true)).isTrue();
            assertThat(table.row("a").orElseThrow().paused()).isTrue();
            assertThat(table.setPaused("missing", true)).as("no row").isFalse();
            long pausedRevision = table.row("a").orElseThrow().revision().getAsLong();
            assertThat(table.setPaused("a", true)).as("already paused: still a row").isTrue();
            assertThat(table.row("a").orElseThrow().revision()).as("no change, no new revision").hasValue(pausedRevision);

            h2.sql("UPDATE supervisor_processes SET paused = FALSE WHERE name = 'a'");
            assertThat(table.row("a").orElseThrow().paused()).isFalse();

            long before = table.row("a").orElseThrow().revision().getAsLong();
            h2.sql("UPDATE supervisor_processes SET payload = 'y' WHERE name = 'a'");
            RowState<String> updated = table.row("a").orElseThrow();
            assertThat(updated.value()).isEqualTo("y");
            assertThat(updated.revision().getAsLong()).as("an update takes a new revision").isGreaterThan(before);

            try (Cursor<String, String> cursor = table.cursor()) {
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.paused()).isFalse();
                assertThat(cursor.revision()).isEqualTo(updated.revision());
            }
        }
    }

    @Test
    void theShippedTableTakesRestartRequestsByRequestRestartOrPlainSql() {
        try (JdbcTable<String, String> table = JdbcTable.builder(h2.database, Row::payload).build()) {
            table.put("a", "x");
            assertThat(table.row("a").orElseThrow().restartRequests()).isZero();

            assertThat(table.requestRestart("a")).isTrue();
            assertThat(table.requestRestart("missing")).as("no row").isFalse();
            assertThat(table.row("a").orElseThrow().restartRequests()).isEqualTo(1);

            h2.sql("UPDATE supervisor_processes SET restart_requests = restart_requests + 1 WHERE name = 'a'");
            try (Cursor<String, String> cursor = table.cursor()) {
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.restartRequests()).isEqualTo(2);
            }
        }
    }

    @Test
    void aUsersOwnTableTakesRestartRequestsOnlyThroughANamedColumn() {
        h2.sql("CREATE TABLE jobs (job_id VARCHAR(20) PRIMARY KEY, spec VARCHAR, asked BIGINT DEFAULT 0 NOT NULL)",
                "INSERT INTO jobs (job_id, spec) VALUES ('7', 'seven')");
        try (JdbcTable<String, String> plain = JdbcTable.builder(h2.database, Row::payload)
                .table("jobs").keyColumn("job_id").payloadColumn("spec").withoutRevisionColumn().build()) {
            assertThat(plain.row("7").orElseThrow().restartRequests()).isZero();
            assertThatThrownBy(() -> plain.requestRestart("7")).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("restartRequestsColumn");
        }
        try (JdbcTable<String, String> asked = JdbcTable.builder(h2.database, Row::payload).table("jobs")
                .keyColumn("job_id").payloadColumn("spec").withoutRevisionColumn().restartRequestsColumn("asked").build()) {
            assertThat(asked.requestRestart("7")).isTrue();
            h2.sql("UPDATE jobs SET asked = asked + 1 WHERE job_id = '7'");
            assertThat(asked.row("7").orElseThrow().restartRequests()).isEqualTo(2);
            try (Cursor<String, String> cursor = asked.cursor()) {
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.restartRequests()).isEqualTo(2);
            }
        }
    }

    @Test
    void aUsersOwnTableHasNoPausedColumnUnlessNamed() {
        h2.sql("CREATE TABLE jobs (job_id VARCHAR(20) PRIMARY KEY, spec VARCHAR, held BOOLEAN DEFAULT FALSE NOT NULL)",
                "INSERT INTO jobs (job_id, spec) VALUES ('7', 'seven')");
        try (JdbcTable<String, String> plain = JdbcTable.builder(h2.database, Row::payload)
                .table("jobs").keyColumn("job_id").payloadColumn("spec").withoutRevisionColumn().build()) {
            assertThat(plain.row("7").orElseThrow()).isEqualTo(new RowState<>("seven", false, OptionalLong.empty()));
            assertThatThrownBy(() -> plain.setPaused("7", true)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("pausedColumn");
        }
        try (JdbcTable<String, String> held = JdbcTable.builder(h2.database, Row::payload)
                .table("jobs").keyColumn("job_id").payloadColumn("spec").withoutRevisionColumn().pausedColumn("held").build()) {
            h2.sql("UPDATE jobs SET held = TRUE WHERE job_id = '7'");
            assertThat(held.row("7").orElseThrow().paused()).isTrue();
            try (Cursor<String, String> cursor = held.cursor()) {
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.paused()).isTrue();
                assertThat(cursor.revision()).as("no revision column").isEmpty();
            }
            assertThat(held.setPaused("7", false)).isTrue();
            assertThat(h2.number("SELECT COUNT(*) FROM jobs WHERE NOT held")).isOne();
        }
    }
}
