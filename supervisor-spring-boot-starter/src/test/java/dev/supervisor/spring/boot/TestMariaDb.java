package dev.supervisor.spring.boot;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * The local MariaDB ({@code $SUPERVISOR_TEST_MARIADB_URL}, default {@value #DEFAULT_URL}) in a
 * database of the test class's own. Unreachable: the test is skipped, or fails when {@code $CI} is set.
 */
final class TestMariaDb {

    static final String DEFAULT_URL = "jdbc:mariadb://127.0.0.1:3306/test?user=root";

    private final String url = System.getenv().getOrDefault("SUPERVISOR_TEST_MARIADB_URL", DEFAULT_URL);
    private final String database;

    /** Checks the server is reachable (skipping or failing as above) and creates a fresh database. */
    TestMariaDb(Class<?> testClass) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            database = ("sv_" + testClass.getSimpleName() + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt()))
                    .toLowerCase(Locale.ROOT);
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            String reason = "MariaDB is unreachable at " + url + " (" + e.getMessage() + ")";
            if (System.getenv("CI") != null) {
                throw new AssertionError(reason + "; CI is set, so this fails instead of skipping", e);
            }
            Assumptions.abort(reason + ": skipping (with CI set it would fail)");
            throw new AssertionError("unreachable");
        }
    }

    /**
     * A JDBC URL whose connections use the database, in UTC sessions that keep instants, as
     * docs/spring-boot.md tells a MariaDB user to write it.
     */
    String url() {
        String query = url.contains("?") ? url.substring(url.indexOf('?')) + "&" : "?";
        String base = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        return base.substring(0, base.lastIndexOf('/') + 1) + database + query
                + "connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&preserveInstants=true";
    }

    /** Drops the database and everything in it. */
    void drop() {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database);
        } catch (SQLException e) {
            throw new AssertionError("cannot drop database " + database, e);
        }
    }
}
