package dev.supervisor.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The MariaDB fixture against the test server: a fresh database per test, dropped afterwards. */
class MariaDbFixtureTest {

    @RegisterExtension
    final MariaDbFixture mariaDb = new MariaDbFixture();

    @Test
    void eachTestGetsAFreshDatabaseThatItsUrlConnectionsAndDataSourceUse() throws Exception {
        assertThat(mariaDb.databaseName()).startsWith("sv_mariadbfixturetest_");
        assertThat(mariaDb.strings("SELECT DATABASE()")).containsExactly(mariaDb.databaseName());
        assertThat(mariaDb.number("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()"))
                .isZero();

        mariaDb.sql("CREATE TABLE jobs (id INT PRIMARY KEY)", "INSERT INTO jobs VALUES (1), (2)");

        try (Connection connection = mariaDb.dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM jobs")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(2);
        }
    }

    @Test
    void closingClosesWhatIsAttachedAndDropsTheDatabase() throws Exception {
        MariaDbFixture own = new MariaDbFixture("smoke");
        own.start();
        String name = own.databaseName();
        Connection attached = own.attach(own.plainConnection());
        assertThat(exists(name)).isTrue();

        own.close();

        assertThat(attached.isClosed()).isTrue();
        assertThat(exists(name)).isFalse();
        assertThat(own.started()).isFalse();
    }

    private static boolean exists(String database) throws Exception {
        try (Connection connection = DriverManager.getConnection(TestServer.mariaDb().url());
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SHOW DATABASES LIKE '" + database + "'")) {
            return rs.next();
        }
    }
}
