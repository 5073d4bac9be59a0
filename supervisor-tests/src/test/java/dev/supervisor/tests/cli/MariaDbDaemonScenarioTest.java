package dev.supervisor.tests.cli;

import dev.supervisor.tests.jdbc.MariaDbDatabaseExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The daemon's scenario on MariaDB ({@code $SUPERVISOR_TEST_MARIADB_URL}): {@code supervisor --db
 * 'jdbc:mariadb://...' --db-schema ...} with every verb, in a database of this class's own, dropped
 * afterwards; changes reach the daemon through the change log its triggers fill.
 */
class MariaDbDaemonScenarioTest extends DaemonScenarioTest {

    @RegisterExtension
    static final MariaDbDatabaseExtension MARIADB = new MariaDbDatabaseExtension();

    @Override
    List<String> databaseOptions() {
        return List.of("--db", MARIADB.url(), "--db-schema", MARIADB.schema());
    }

    @Override
    void sql(String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(MARIADB.url()); Statement statement = c.createStatement()) {
            c.setCatalog(MARIADB.schema());
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    @Override
    boolean databaseAvailable() {
        return MARIADB.schema() != null;
    }
}
