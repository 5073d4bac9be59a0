package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervisor.Cursor;
import dev.supervisor.GroupMembership;
import dev.supervisor.GroupPolicy;
import dev.supervisor.RowState;
import dev.supervisor.TableException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A row's group and a group's policy, as the supervisor reads them: the shipped tables and a user's own. */
@Timeout(60)
class JdbcTableGroupsTest {

    private final H2Memory h2 = new H2Memory();

    @AfterEach
    void close() {
        h2.close();
    }

    @Test
    void theShippedTableNamesGroupsAndSupervisorGroupsHoldsTheirPolicies() {
        try (JdbcTable<String, String> table = JdbcTable.builder(h2.database, Row::payload).build()) {
            h2.sql("INSERT INTO supervisor_groups (name, strategy, max_restarts, period_ms) VALUES ('p', 'REST_FOR_ONE', 2, 30000)",
                    "INSERT INTO supervisor_processes (name, payload, group_name, group_position) VALUES ('a', 'x', 'p', 7)",
                    "INSERT INTO supervisor_processes (name, payload) VALUES ('b', 'y')",
                    "INSERT INTO supervisor_processes (name, payload, group_name) VALUES ('c', 'z', '')");

            assertThat(table.group("a")).contains(new GroupMembership("p", 7));
            assertThat(table.group("b")).as("NULL: no group").isEmpty();
            assertThat(table.group("c")).as("empty: no group").isEmpty();
            assertThat(table.group("missing")).isEmpty();
            try (Cursor<String, String> cursor = table.cursor()) {
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.group()).contains(new GroupMembership("p", 7));
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.group()).isEmpty();
            }
            assertThat(table.groupPolicy("p")).contains(GroupPolicy.restForOne(2, Duration.ofSeconds(30)));
            assertThat(table.groupPolicy("unknown")).isEmpty();
        }
    }

    /**
     * {@code row(key)} is the supervisor's whole check of one key: value, paused flag, revision,
     * restart requests and group come from one statement, so they are one state of the row.
     */
    @Test
    void rowReadsTheGroupWithTheRestOfTheRowInOneStatement() {
        try (JdbcTable<String, String> table = JdbcTable.builder(h2.database, Row::payload).build()) {
            h2.sql("INSERT INTO supervisor_processes (name, payload, group_name, group_position, paused, restart_requests)"
                    + " VALUES ('a', 'x', 'p', 7, TRUE, 3)", "INSERT INTO supervisor_processes (name, payload) VALUES ('b', 'y')");
            long before = table.statements().executed();

            RowState<String> a = table.row("a").orElseThrow();

            assertThat(table.statements().executed() - before).as("statements for one row").isOne();
            assertThat(a.value()).isEqualTo("x");
            assertThat(a.paused()).isTrue();
            assertThat(a.revision()).isPresent();
            assertThat(a.restartRequests()).isEqualTo(3);
            assertThat(a.group()).contains(new GroupMembership("p", 7));
            assertThat(table.row("b").orElseThrow().group()).as("no group").isEmpty();
        }
    }

    @Test
    void aUsersOwnTableHasNoGroupsUnlessItNamesTheColumns() {
        h2.sql("CREATE TABLE jobs (job_id VARCHAR(20) PRIMARY KEY, spec VARCHAR, team VARCHAR(50), team_rank INTEGER)",
                "CREATE TABLE teams (name VARCHAR(50) PRIMARY KEY, strategy VARCHAR(16), max_restarts INTEGER, period_ms BIGINT)",
                "INSERT INTO jobs VALUES ('7', 'seven', 'red', 2)",
                "INSERT INTO teams VALUES ('red', 'one_for_all', 1, 1000), ('bad', 'ALL_AT_ONCE', 1, 1000)");
        try (JdbcTable<String, String> plain = JdbcTable.builder(h2.database, Row::payload)
                .table("jobs").keyColumn("job_id").payloadColumn("spec").withoutRevisionColumn().build()) {
            assertThat(plain.group("7")).isEmpty();
            assertThat(plain.row("7").orElseThrow().group()).isEmpty();
            assertThat(plain.groupPolicy("red")).isEmpty();
        }
        try (JdbcTable<String, String> grouped = JdbcTable.builder(h2.database, Row::payload)
                .table("jobs").keyColumn("job_id").payloadColumn("spec").withoutRevisionColumn()
                .groupColumns("team", "team_rank").groupsTable("teams").build()) {
            assertThat(grouped.group("7")).contains(new GroupMembership("red", 2));
            assertThat(grouped.row("7").orElseThrow().group()).contains(new GroupMembership("red", 2));
            assertThat(grouped.groupPolicy("red")).contains(GroupPolicy.oneForAll(1, Duration.ofSeconds(1)));
            assertThatThrownBy(() -> grouped.groupPolicy("bad")).isInstanceOf(TableException.class)
                    .hasMessageContaining("group bad").hasMessageContaining("ALL_AT_ONCE");
        }
    }

    @Test
    void aGroupColumnNameIsCheckedLikeEveryIdentifier() {
        assertThatThrownBy(() -> JdbcTable.builder(h2.database, Row::payload).groupColumns("team; DROP TABLE x", "rank"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
