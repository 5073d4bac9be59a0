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
 * The local PostgreSQL for one test class, in a schema of its own (created, migrated, dropped
 * afterwards), so classes do not interfere and reruns start clean.
 *
 * <p>The server is {@code $SUPERVISOR_TEST_PG_URL}, default {@value #DEFAULT_URL}. When it cannot
 * be reached every test is <b>skipped</b> (counted as skipped, the reason in the report and on
 * stderr), unless {@code $CI} is set: then they <b>fail</b>, so CI never passes by skipping.
 */
public final class PostgresDatabaseExtension implements ServerDatabase, BeforeAllCallback, BeforeEachCallback,
        AfterAllCallback {

    /** Used when SUPERVISOR_TEST_PG_URL is not set. */
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final String url;
    private String schema;
    private Database database;
    private String unreachable;

    /** The server of {@code $SUPERVISOR_TEST_PG_URL}, default {@value #DEFAULT_URL}. */
    public PostgresDatabaseExtension() {
        this(System.getenv().getOrDefault("SUPERVISOR_TEST_PG_URL", DEFAULT_URL));
    }

    /** The server at url (a JDBC URL without a schema), for a test that needs another server than the shared one. */
    public PostgresDatabaseExtension(String url) {
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
                    + " Start it (pg_ctlcluster ... main start) or set SUPERVISOR_TEST_PG_URL.");
        }
        Assumptions.abort(unreachable + ": skipping this PostgreSQL test (with CI set it would fail)");
    }

    /** Why PostgreSQL cannot be used, or null when it can. */
    private String unreachableReason() {
        try (Connection ignored = DriverManager.getConnection(url + (url.contains("?") ? "&" : "?") + "connectTimeout=3")) {
            return null;
        } catch (SQLException e) {
            return "PostgreSQL is unreachable at " + url + " (" + e.getMessage() + ")";
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (database != null) {
            database.close();
            sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Override
    public Database database() {
        return database;
    }

    @Override
    public Connection plainConnection() throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        connection.setSchema(schema);
        return connection;
    }

    /** The server's JDBC URL (the test's schema is not in it: see {@link #schema()}). */
    public String url() {
        return url;
    }

    /**
     * The PostgreSQL application_name of this class's pooled connections (its change listener's
     * has {@link Database#LISTENER_SUFFIX} appended), unique per test class and run, so a test that
     * terminates backends touches only its own, not those of another build on the same server.
     */
    public String applicationName() {
        return "sv-test-" + schema.substring(schema.lastIndexOf('_') + 1);
    }

    /** The schema this class's tables live in. */
    public String schema() {
        return schema;
    }

    @Override
    public String toString() {
        return "PostgreSQL " + url + " schema " + schema;
    }
}
