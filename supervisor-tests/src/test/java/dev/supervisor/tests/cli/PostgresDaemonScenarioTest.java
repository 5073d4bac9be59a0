package dev.supervisor.tests.cli;

import dev.supervisor.tests.jdbc.PostgresDatabaseExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The daemon's scenario on PostgreSQL ({@code $SUPERVISOR_TEST_PG_URL}), in a schema of this
 * class's own ({@code --db-schema}), dropped afterwards; changes reach the daemon by LISTEN/NOTIFY.
 */
class PostgresDaemonScenarioTest extends DaemonScenarioTest {

    @RegisterExtension
    static final PostgresDatabaseExtension POSTGRES = new PostgresDatabaseExtension();

    @Override
    List<String> databaseOptions() {
        String url = System.getenv().getOrDefault("SUPERVISOR_TEST_PG_URL", PostgresDatabaseExtension.DEFAULT_URL);
        return List.of("--db", url, "--db-schema", POSTGRES.schema());
    }

    @Override
    void sql(String... statements) throws Exception {
        String url = System.getenv().getOrDefault("SUPERVISOR_TEST_PG_URL", PostgresDatabaseExtension.DEFAULT_URL);
        try (Connection c = DriverManager.getConnection(url); Statement statement = c.createStatement()) {
            c.setSchema(POSTGRES.schema());
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    @Override
    boolean databaseAvailable() {
        return POSTGRES.schema() != null;
    }
}
