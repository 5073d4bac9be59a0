package dev.supervisor.tests.cli;

import dev.supervisor.tests.jdbc.PostgresDatabaseExtension;
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
        return List.of("--db", POSTGRES.serverUrl(), "--db-schema", POSTGRES.schema());
    }

    @Override
    void sql(String... statements) {
        POSTGRES.sql(statements);
    }

    @Override
    boolean databaseAvailable() {
        return POSTGRES.schema() != null;
    }
}
