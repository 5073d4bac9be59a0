package dev.supervisor.jdbc.internal.dialect;

import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The libraries a database needs at run time that supervisor-jdbc leaves to the application (they
 * are optional dependencies, so that nobody inherits a driver they do not use): the JDBC driver, and
 * Flyway's plugin for the database where flyway-core alone does not support it (see
 * {@link SqlDialect#flywaySupport()}). Checked before a pool is opened, so that a missing one fails
 * at once with the artifact to add rather than deep inside the pool or Flyway.
 */
public final class RequiredLibraries {

    private RequiredLibraries() {
    }

    /**
     * Checks that a JDBC driver accepts {@code jdbcUrl} and, when the schema is to be migrated,
     * that Flyway's plugin for the database is present.
     *
     * @throws IllegalStateException naming the Maven artifact to add when one is missing
     */
    public static void check(SqlDialect dialect, String jdbcUrl, boolean migrate) {
        try {
            DriverManager.getDriver(jdbcUrl);
        } catch (SQLException e) {
            // Not the URL itself in the message: it may carry a password.
            throw new IllegalStateException("no JDBC driver for " + dialect.displayName() + " is on the class path or module"
                    + " path: add " + dialect.driverArtifact(jdbcUrl) + " to the application's dependencies", e);
        }
        if (migrate) {
            dialect.flywaySupport().filter(library -> !present(library.className())).ifPresent(library -> {
                throw new IllegalStateException("Flyway's " + dialect.displayName() + " support is not on the class path or"
                        + " module path: add " + library.artifact() + " (the version of flyway-core) to the"
                        + " application's dependencies, or open the database with migrate(false)");
            });
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, RequiredLibraries.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
