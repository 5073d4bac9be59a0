package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.ChangeListener;
import dev.supervisor.Subscription;
import dev.supervisor.testsupport.TestServer;
import dev.supervisor.testsupport.Waits;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The MariaDB own-table recipe of {@code docs/jdbc.md}, run as written ({@link DocRecipe}) but for
 * the names of its two databases ({@code supervisor} and {@code app} there; random ones here, since
 * the server is shared): the supervisor's migrations in one, the user's table {@code jobs} with a
 * {@code bigint} key and the recipe's {@code version} column in the other, the triggers calling the
 * schema-qualified {@code supervisor_log_change}. Single-row INSERT, UPDATE and DELETE are
 * signalled by key, a 1,000-row {@code INSERT ... SELECT} as "rows changed", and so is a
 * {@code TRUNCATE}, which fires no trigger (the row with the lowest version disappeared unlogged).
 */
@Timeout(120)
class MariaDbOwnTableRecipeTest {

    private static final Duration WAIT = Waits.DATABASE;
    private static final TestServer MARIADB = TestServer.mariaDb();

    private String supervisor;
    private String app;

    @BeforeEach
    void names() {
        MARIADB.requireReachable();
        String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt()).toLowerCase(Locale.ROOT);
        supervisor = "sv_recipe_" + suffix;
        app = "sv_app_" + suffix;
    }

    @AfterEach
    void dropDatabases() throws SQLException {
        if (supervisor != null) {
            sql("DROP DATABASE IF EXISTS " + supervisor, "DROP DATABASE IF EXISTS " + app);
        }
    }

    private void sql(String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(MARIADB.url());
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** The recipe's statements, its databases renamed. */
    private List<String> recipe() {
        return DocRecipe.statements("mariadb-own-table").stream()
                .map(s -> s.replace("supervisor.supervisor_", supervisor + ".supervisor_").replace("app.jobs", app + ".jobs"))
                .toList();
    }

    @Test
    void theRecipeSignalsEachKindOfStatement() throws Exception {
        RecordingChanges changes = new RecordingChanges();
        try (Database db = Database.builder(MARIADB.url()).schema(supervisor).poolSize(3).open()) {
            sql("CREATE DATABASE " + app, "CREATE TABLE " + app + ".jobs (job_id BIGINT PRIMARY KEY, spec TEXT NOT NULL)");
            sql(recipe().toArray(String[]::new));
            try (JdbcTable<Long, String> table = JdbcTable.builder(db, KeyCodec.LONG, Row::payload)
                    .table(app + ".jobs").keyColumn("job_id").payloadColumn("spec").revisionColumn("version").build();
                 Subscription ignored = table.subscribe(new ChangeListener<Long>() {
                     @Override
                     public void rowChanged(Long key) {
                         changes.rowChanged(key.toString());
                     }

                     @Override
                     public void tableChanged() {
                         changes.tableChanged();
                     }
                 })) {
                await().atMost(WAIT).until(() -> !changes.signals.isEmpty()); // the first check: "changes before it unknown"
                changes.drain();

                sql("INSERT INTO " + app + ".jobs (job_id, spec) VALUES (7, 'seven')");
                awaitSignals(changes, "7");
                assertThat(table.row(7L).orElseThrow().revision()).isPresent();
                sql("UPDATE " + app + ".jobs SET spec = 'seven-v2' WHERE job_id = 7");
                awaitSignals(changes, "7");
                sql("UPDATE " + app + ".jobs SET job_id = 8 WHERE job_id = 7");
                awaitSignals(changes, "8", "7");
                sql("DELETE FROM " + app + ".jobs WHERE job_id = 8");
                awaitSignals(changes, "8");
                sql("INSERT INTO " + app + ".jobs (job_id, spec) SELECT seq, 'bulk' FROM seq_1_to_1000");
                awaitSignals(changes, RecordingChanges.TABLE);
                sql("TRUNCATE TABLE " + app + ".jobs");
                awaitSignals(changes, RecordingChanges.TABLE);
            }
        }
    }

    /** Waits for the last expected signal, then checks that exactly the expected ones came, in any order. */
    private static void awaitSignals(RecordingChanges changes, String... expected) {
        await().atMost(WAIT).until(() -> changes.signals.containsAll(List.of(expected)));
        assertThat(changes.drain()).containsExactlyInAnyOrder(expected);
    }
}
