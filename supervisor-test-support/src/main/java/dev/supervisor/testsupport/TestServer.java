package dev.supervisor.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

/**
 * A database server the tests use, and the one rule for a server that cannot be reached: the test
 * is <b>skipped</b> (counted as skipped, the reason naming the server and its environment
 * variable), unless the environment variable {@code CI} is set: then it <b>fails</b>, so that CI
 * never passes by skipping. A URL without a JDBC driver on the test class path always fails: that
 * is a mistake in the build, not a missing server.
 *
 * @param name the server's name for people, such as {@code PostgreSQL}
 * @param variable the environment variable that names another server
 * @param url the server's JDBC URL (credentials may be in it)
 */
public record TestServer(String name, String variable, String url) {

    /** The environment variable that names the PostgreSQL server. */
    public static final String POSTGRES_VARIABLE = "SUPERVISOR_TEST_PG_URL";
    /** The PostgreSQL server used when {@value #POSTGRES_VARIABLE} is not set. */
    public static final String POSTGRES_DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    /** The environment variable that names the MariaDB server. */
    public static final String MARIADB_VARIABLE = "SUPERVISOR_TEST_MARIADB_URL";
    /** The MariaDB server used when {@value #MARIADB_VARIABLE} is not set. */
    public static final String MARIADB_DEFAULT_URL = "jdbc:mariadb://127.0.0.1:3306/test?user=root";
    /** Set (to anything) on CI: an unreachable server fails the test instead of skipping it. */
    public static final String CI_VARIABLE = "CI";

    /** The PostgreSQL server of {@code $SUPERVISOR_TEST_PG_URL}, default {@value #POSTGRES_DEFAULT_URL}. */
    public static TestServer postgres() {
        return new TestServer("PostgreSQL", POSTGRES_VARIABLE, System.getenv().getOrDefault(POSTGRES_VARIABLE,
                POSTGRES_DEFAULT_URL));
    }

    /** The MariaDB server of {@code $SUPERVISOR_TEST_MARIADB_URL}, default {@value #MARIADB_DEFAULT_URL}. */
    public static TestServer mariaDb() {
        return new TestServer("MariaDB", MARIADB_VARIABLE, System.getenv().getOrDefault(MARIADB_VARIABLE,
                MARIADB_DEFAULT_URL));
    }

    /** The same kind of server at another URL: a server of the test's own (a cluster it stops, say). */
    public TestServer at(String otherUrl) {
        return new TestServer(name, variable, otherUrl);
    }

    /**
     * Why the server cannot be used, or empty when a connection opens (within a few seconds).
     *
     * @throws AssertionError when no JDBC driver on the class path accepts the URL
     */
    public Optional<String> unreachable() {
        requireDriver(url);
        try (Connection ignored = DriverManager.getConnection(withParameter(url, connectTimeout()))) {
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of(name + " is unreachable at " + url + " (" + e.getMessage() + ")");
        }
    }

    /** Skips the test when the server is unreachable, or fails it when {@code $CI} is set. */
    public void requireReachable() {
        unreachable().ifPresent(this::skipOrFail);
    }

    /**
     * Skips the test for {@code reason} (why this server cannot be used), or fails it when
     * {@code $CI} is set. Always throws.
     */
    public void skipOrFail(String reason) {
        failOnCi(reason);
        Assumptions.abort(skipping(reason));
    }

    /**
     * The same rule as a JUnit condition, for a test class that must not even start when the
     * server is unreachable (an application a framework starts before the class's callbacks run):
     * enabled when reachable, else disabled with the reason, or failing when {@code $CI} is set.
     * Use it from an {@link org.junit.jupiter.api.extension.ExecutionCondition}.
     */
    public ConditionEvaluationResult condition() {
        return unreachable().map(reason -> {
            failOnCi(reason);
            return ConditionEvaluationResult.disabled(skipping(reason));
        }).orElseGet(() -> ConditionEvaluationResult.enabled(name + " is reachable at " + url));
    }

    private void failOnCi(String reason) {
        if (System.getenv(CI_VARIABLE) != null) {
            throw new AssertionError(reason + "; " + CI_VARIABLE + " is set, so this fails instead of skipping."
                    + " Start " + name + " or set " + variable + " to a server that runs.");
        }
    }

    private String skipping(String reason) {
        return reason + ": skipping this " + name + " test (set " + variable + " to use another server; with "
                + CI_VARIABLE + " set this fails)";
    }

    /** Fails unless a JDBC driver on the class path accepts {@code url}. */
    static void requireDriver(String url) {
        try {
            DriverManager.getDriver(url);
        } catch (SQLException e) {
            throw new AssertionError("no JDBC driver on the test class path accepts " + url
                    + ": add the database's driver to this module's test dependencies", e);
        }
    }

    /** {@code url} with one more parameter ({@code name=value}), after {@code ?} or {@code &}. */
    static String withParameter(String url, String parameter) {
        return url + (url.contains("?") ? "&" : "?") + parameter;
    }

    private String connectTimeout() {
        // PostgreSQL's connectTimeout is in seconds, MariaDB Connector/J's in milliseconds.
        return url.startsWith("jdbc:postgresql:") ? "connectTimeout=3" : "connectTimeout=3000";
    }
}
