package dev.supervisor.jdbc.internal.dialect;

import dev.supervisor.jdbc.Dialect;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The libraries a database needs at run time that supervisor-jdbc leaves to the application (they
 * are optional dependencies, so that nobody inherits a driver they do not use): the JDBC driver, and
 * for PostgreSQL Flyway's database plugin. Checked before a pool is opened, so that a missing one
 * fails at once with the artifact to add rather than deep inside the pool or Flyway.
 */
public final class RequiredLibraries {

    /** Flyway's support for PostgreSQL, a separate artifact since Flyway 10. */
    static final String FLYWAY_POSTGRESQL_TYPE = "org.flywaydb.database.postgresql.PostgreSQLDatabaseType";

    private RequiredLibraries() {
    }

    /**
     * Checks that a JDBC driver accepts {@code jdbcUrl} and, when the schema is to be migrated on
     * PostgreSQL, that Flyway's PostgreSQL plugin is present.
     *
     * @throws IllegalStateException naming the Maven artifact to add when one is missing
     */
    public static void check(Dialect dialect, String jdbcUrl, boolean migrate) {
        try {
            DriverManager.getDriver(jdbcUrl);
        } catch (SQLException e) {
            // Not the URL itself in the message: it may carry a password.
            throw new IllegalStateException("no JDBC driver for " + dialect + " is on the class path or module path:"
                    + " add " + driverArtifact(dialect) + " to the application's dependencies", e);
        }
        if (dialect == Dialect.POSTGRESQL && migrate && !present(FLYWAY_POSTGRESQL_TYPE)) {
            throw new IllegalStateException("Flyway's PostgreSQL support is not on the class path or module path:"
                    + " add org.flywaydb:flyway-database-postgresql (the version of flyway-core) to the"
                    + " application's dependencies, or open the database with migrate(false)");
        }
    }

    /** The Maven coordinates (without version) of the JDBC driver for dialect. */
    static String driverArtifact(Dialect dialect) {
        return switch (dialect) {
            case H2 -> "com.h2database:h2";
            case POSTGRESQL -> "org.postgresql:postgresql";
        };
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
