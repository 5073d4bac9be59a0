package dev.supervisor.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The PostgreSQL fixture against the test server: one fresh schema for the class, dropped afterwards. */
class PostgresFixtureTest {

    @RegisterExtension
    static final PostgresFixture POSTGRES = new PostgresFixture();

    @Test
    void theClassGetsAFreshSchemaThatItsUrlAndConnectionsUse() {
        assertThat(POSTGRES.schema()).startsWith("sv_postgresfixturetest_");
        assertThat(POSTGRES.strings("SELECT current_schema()")).containsExactly(POSTGRES.schema());
        assertThat(POSTGRES.url()).startsWith(POSTGRES.serverUrl()).endsWith("currentSchema=" + POSTGRES.schema());
        assertThat(POSTGRES.applicationName()).startsWith("sv-test-");

        POSTGRES.sql("CREATE TABLE jobs (id int PRIMARY KEY)", "INSERT INTO jobs VALUES (1), (2)");

        assertThat(POSTGRES.number("SELECT count(*) FROM " + POSTGRES.schema() + ".jobs")).isEqualTo(2);
    }

    @Test
    void closingDropsTheSchema() throws Exception {
        PostgresFixture own = new PostgresFixture("smoke");
        own.start();
        String schema = own.schema();
        assertThat(exists(schema)).isTrue();

        own.close();

        assertThat(exists(schema)).isFalse();
    }

    private static boolean exists(String schema) throws Exception {
        try (Connection connection = DriverManager.getConnection(TestServer.postgres().url());
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(
                     "SELECT 1 FROM information_schema.schemata WHERE schema_name = '" + schema + "'")) {
            return rs.next();
        }
    }
}
