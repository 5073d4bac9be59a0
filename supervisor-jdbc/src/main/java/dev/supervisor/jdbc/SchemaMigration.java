package dev.supervisor.jdbc;

import dev.supervisor.jdbc.internal.dialect.SqlDialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades the supervisor's tables ({@code supervisor_processes},
 * {@code supervisor_status}) with the Flyway migrations shipped in this jar, in one call.
 *
 * <pre>{@code
 * SchemaMigration.migrate(dataSource);            // the connection's default schema
 * SchemaMigration.migrate(dataSource, "jobs");    // schema "jobs", created when missing
 * }</pre>
 *
 * <p>Idempotent: a migrated schema is left as it is. Safe to call from several processes at
 * once: on PostgreSQL Flyway serialises them with an advisory lock, on MariaDB and MySQL with a
 * named lock; on H2, whose Flyway lock is a row lock on the history table and so locks nothing
 * while that table is empty, migrators first take a row lock on a one-row table of their own
 * ({@code supervisor_migration_lock}). The history is kept in
 * {@value #HISTORY_TABLE}, so an application's own Flyway history is not touched, and a schema
 * that already holds other tables is fine. The scripts live under {@value #LOCATION}, not under
 * Flyway's default {@code db/migration}, so an application's own Flyway does not run them. Flyway
 * logs through SLF4J, like the rest of the library.
 */
public final class SchemaMigration {

    /** The table in which Flyway records the supervisor's migrations. */
    public static final String HISTORY_TABLE = "supervisor_schema_history";
    /**
     * Where the migrations live on the class path: {@code common} and one folder per vendor
     * ({@code h2}, {@code postgresql}), or a vendor's folder alone ({@code mysql}, for MariaDB and
     * MySQL). Deliberately not {@code db/migration}, the default of Flyway and of Spring Boot, so
     * an application's own Flyway never picks them up.
     */
    public static final String LOCATION = SqlDialect.MIGRATIONS;

    /**
     * The version of the newest migration shipped in this jar: a schema whose history
     * ({@link #appliedVersion}) reaches it needs no migration. A test checks it against the scripts.
     */
    public static final String LATEST_VERSION = "9";

    private static final int MIGRATE_ATTEMPTS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigration.class);

    private SchemaMigration() {
    }

    /**
     * Migrates the connection's default schema, detecting the dialect.
     *
     * @return how many migrations ran (0 when the schema was up to date)
     * @throws org.flywaydb.core.api.FlywayException if migrating fails
     */
    public static int migrate(DataSource dataSource) {
        return migrate(dataSource, Dialect.detect(dataSource), null);
    }

    /**
     * Migrates {@code schema} (created when missing), detecting the dialect.
     *
     * @throws IllegalArgumentException if schema is not a valid identifier
     */
    public static int migrate(DataSource dataSource, String schema) {
        return migrate(dataSource, Dialect.detect(dataSource), schema);
    }

    /**
     * Migrates {@code schema}, or the connection's default schema when it is null, for {@code dialect}.
     *
     * @return how many migrations ran
     * @throws IllegalArgumentException if schema is not a valid identifier
     * @throws org.flywaydb.core.api.FlywayException if migrating fails
     */
    public static int migrate(DataSource dataSource, Dialect dialect, String schema) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(dialect, "dialect");
        var configuration = Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(dataSource)
                .locations(dialect.sql().migrationLocations().toArray(String[]::new))
                .loggers("slf4j")
                .table(dialect.sql().foldCase(HISTORY_TABLE))
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .failOnMissingLocations(true);
        if (schema != null) {
            configuration.schemas(dialect.sql().foldCase(Identifier.unqualified(schema).name()));
        }
        Flyway flyway = configuration.load();
        MigrateResult result = dialect.sql().migrating(dataSource, schema, () -> migrateRetryingRaces(flyway));
        LOG.info("Migrated the supervisor's schema{} on {}: {} migration(s) applied, now at version {}",
                schema == null ? "" : " " + schema, dialect, result.migrationsExecuted,
                result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion);
        return result.migrationsExecuted;
    }

    /**
     * The version of the newest migration applied to the connection's current schema, read from
     * {@value #HISTORY_TABLE} in one query without Flyway's machinery; empty when the schema has no
     * such history (it was never migrated). Compare it with {@link #LATEST_VERSION} through
     * {@link #isCurrent}.
     *
     * @throws SQLException if the history cannot be read for another reason
     */
    public static Optional<String> appliedVersion(Connection connection) throws SQLException {
        SqlDialect dialect = Dialect.of(connection.getMetaData().getDatabaseProductName()).sql();
        MigrationVersion newest = null;
        String versionColumn = dialect.quoted("version");
        try (Statement select = connection.createStatement();
             // Flyway's columns are lower case, quoted on H2 too; the table's name folds as it was created
             ResultSet rs = select.executeQuery("SELECT " + versionColumn + " FROM " + HISTORY_TABLE
                     + " WHERE " + dialect.quoted("success") + " AND " + versionColumn + " IS NOT NULL")) {
            while (rs.next()) {
                MigrationVersion version = MigrationVersion.fromVersion(rs.getString(1));
                if (newest == null || version.compareTo(newest) > 0) {
                    newest = version;
                }
            }
        } catch (SQLException e) {
            if (dialect.undefinedTable(e)) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.ofNullable(newest).map(MigrationVersion::getVersion);
    }

    /** True if a schema at {@code applied} (see {@link #appliedVersion}) has every migration of this jar. */
    public static boolean isCurrent(String applied) {
        return MigrationVersion.fromVersion(applied).compareTo(MigrationVersion.fromVersion(LATEST_VERSION)) >= 0;
    }

    /**
     * Flyway locks the schema history while migrating, but not while deciding to baseline: a
     * migrator that finds the schema "non-empty" because another one has just created the (still
     * empty) history table fails with "Unable to baseline ... already exists, and is empty". A
     * retry then finds the history table and waits on Flyway's lock like any other migrator.
     */
    private static MigrateResult migrateRetryingRaces(Flyway flyway) {
        FlywayException last = null;
        for (int attempt = 1; attempt <= MIGRATE_ATTEMPTS; attempt++) {
            try {
                return flyway.migrate();
            } catch (FlywayException e) {
                last = e;
                LOG.debug("Migration attempt {} failed, most likely racing another migrator: {}", attempt, e.getMessage());
            }
        }
        throw last;
    }
}
