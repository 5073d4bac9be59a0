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
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The PostgreSQL own-table recipe of {@code docs/jdbc.md}, run exactly as written ({@link DocRecipe}):
 * the supervisor's migrations in schema {@code supervisor}, the user's table {@code app.jobs} with a
 * {@code bigint} key, on a connection whose search path has neither (so the function must be
 * schema-qualified). Each kind of statement gives the signal the docs promise: single-row INSERT,
 * UPDATE and DELETE their key, a 1,000-row {@code INSERT ... SELECT} one notification (one
 * {@code tableChanged}), TRUNCATE one {@code tableChanged}. The recipe's schema names are fixed, so
 * the test runs in a database of its own, dropped afterwards.
 */
@Timeout(120)
class PostgresOwnTableRecipeTest {

    private static final Duration WAIT = Waits.DATABASE;
    private static final TestServer POSTGRES = TestServer.postgres();

    private String databaseName;
    private String url;

    @BeforeEach
    void createDatabase() throws SQLException {
        POSTGRES.requireReachable();
        databaseName = ("sv_recipe_" + Integer.toHexString(ThreadLocalRandom.current().nextInt())).toLowerCase(Locale.ROOT);
        try (Connection connection = DriverManager.getConnection(POSTGRES.url());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + databaseName);
        }
        url = POSTGRES.url().replaceFirst("/[^/?]+(\\?|$)", "/" + databaseName + "$1");
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        if (databaseName == null) {
            return;
        }
        try (Connection connection = DriverManager.getConnection(POSTGRES.url());
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + databaseName + " WITH (FORCE)");
        }
    }

    private void sql(String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO public"); // neither the supervisor's schema nor the app's
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    @Test
    void theRecipeSignalsEachKindOfStatement() throws Exception {
        RecordingChanges changes = new RecordingChanges();
        try (Database db = Database.builder(url).schema("supervisor").open()) {
            sql("CREATE SCHEMA app", "CREATE TABLE app.jobs (job_id bigint PRIMARY KEY, spec text NOT NULL)");
            sql(DocRecipe.statements("postgresql-own-table").toArray(String[]::new));
            try (JdbcTable<Long, String> table = JdbcTable.builder(db, KeyCodec.LONG, Row::payload)
                    .table("app.jobs").keyColumn("job_id").payloadColumn("spec").withoutRevisionColumn().build();
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
                await().atMost(WAIT).until(() -> !changes.signals.isEmpty()); // listening
                changes.drain();

                sql("INSERT INTO app.jobs VALUES (7, 'seven')");
                awaitSignals(changes, "7");
                sql("UPDATE app.jobs SET spec = 'seven-v2' WHERE job_id = 7");
                awaitSignals(changes, "7");
                sql("DELETE FROM app.jobs WHERE job_id = 7");
                awaitSignals(changes, "7");
                sql("INSERT INTO app.jobs SELECT g, 'bulk' FROM generate_series(1, 1000) g",
                        "INSERT INTO app.jobs VALUES (5000, 'sentinel')");
                awaitSignals(changes, RecordingChanges.TABLE, "5000");
                sql("TRUNCATE app.jobs", "INSERT INTO app.jobs VALUES (5001, 'sentinel')");
                awaitSignals(changes, RecordingChanges.TABLE, "5001");
            }
        }
    }

    /** Waits for a signal of the last expected kind, then checks that exactly the expected ones came, in order. */
    private static void awaitSignals(RecordingChanges changes, String... expected) {
        await().atMost(WAIT).until(() -> changes.signals.contains(expected[expected.length - 1]));
        assertThat(changes.drain()).containsExactly(expected);
    }
}
