package dev.supervisor.spring.boot;

import dev.supervisor.jdbc.SchemaMigration;
import javax.sql.DataSource;

/**
 * Marks the supervisor's schema as migrated: creating this bean applied the library's migrations
 * to the application's DataSource (their own location and history table, so the application's own
 * Flyway is not involved), or skipped them when {@code supervisor.migrate=false}.
 *
 * @param migrationsApplied how many migrations ran at startup (0 when up to date or skipped)
 */
public record SupervisorSchema(int migrationsApplied) {

    static SupervisorSchema migrate(DataSource dataSource, boolean migrate) {
        return new SupervisorSchema(migrate ? SchemaMigration.migrate(dataSource) : 0);
    }
}
