package dev.supervisor.tests.jdbc;

import dev.supervisor.jdbc.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The local MariaDB for one test class, in a database of its own (created, migrated, dropped
 * afterwards), so classes do not interfere and reruns start clean.
 *
 * <p>The server is {@code $SUPERVISOR_TEST_MARIADB_URL}, default {@value #DEFAULT_URL}. When it
 * cannot be reached every test is <b>skipped</b>, unless {@code $CI} is set: then they <b>fail</b>,
 * so CI never passes by skipping.
 */
public final class MariaDbDatabaseExtension implements ServerDatabase, BeforeAllCallback, BeforeEachCallback,
        AfterAllCallback {

    /** Used when SUPERVISOR_TEST_MARIADB_URL is not set. */
    public static final String DEFAULT_URL = "jdbc:mariadb://127.0.0.1:3306/test?user=root";

    private final String url;
    private String schema;
    private Database database;
    private String unreachable;

    /** The server of {@code $SUPERVISOR_TEST_MARIADB_URL}, default {@value #DEFAULT_URL}. */
    public MariaDbDatabaseExtension() {
        this(System.getenv().getOrDefault("SUPERVISOR_TEST_MARIADB_URL", DEFAULT_URL));
    }

    /** The server at url (a JDBC URL of any database on it), for a test that needs another server than the shared one. */
    public MariaDbDatabaseExtension(String url) {
        this.url = url;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        unreachable = unreachableReason();
        if (unreachable != null) {
            System.err.println(context.getRequiredTestClass().getSimpleName() + ": " + unreachable);
            return;
        }
        schema = ("sv_" + context.getRequiredTestClass().getSimpleName() + "_"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt())).toLowerCase(Locale.ROOT);
        database = Database.builder(url).schema(schema).applicationName(applicationName()).open();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (unreachable == null) {
            return;
        }
        if (System.getenv("CI") != null) {
            throw new AssertionError(unreachable + "; CI is set, so this fails instead of skipping."
                    + " Start it (start-stop-daemon --start --background --exec /usr/sbin/mariadbd) or set"
                    + " SUPERVISOR_TEST_MARIADB_URL.");
        }
        Assumptions.abort(unreachable + ": skipping this MariaDB test (with CI set it would fail)");
    }

    private String unreachableReason() {
        try (Connection ignored = DriverManager.getConnection(url + (url.contains("?") ? "&" : "?") + "connectTimeout=3000")) {
            return null;
        } catch (SQLException e) {
            return "MariaDB is unreachable at " + url + " (" + e.getMessage() + ")";
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (database != null) {
            database.close();
            try (Connection connection = DriverManager.getConnection(url)) {
                connection.createStatement().execute("DROP DATABASE IF EXISTS " + schema);
            } catch (SQLException e) {
                throw new AssertionError("cannot drop database " + schema + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public Database database() {
        return database;
    }

    @Override
    public Connection plainConnection() throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        connection.setCatalog(schema);
        return connection;
    }

    /** The server's JDBC URL (the test's database is not in it: see {@link #schema()}). */
    public String url() {
        return url;
    }

    /** The program name of this class's pooled connections (MariaDB's {@code program_name} connection attribute). */
    public String applicationName() {
        return "sv-test-" + schema.substring(schema.lastIndexOf('_') + 1);
    }

    /** The database this class's tables live in. */
    public String schema() {
        return schema;
    }

    @Override
    public String toString() {
        return "MariaDB " + url + " database " + schema;
    }
}
