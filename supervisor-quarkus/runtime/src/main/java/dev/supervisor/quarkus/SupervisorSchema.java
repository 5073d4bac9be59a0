package dev.supervisor.quarkus;

/**
 * The supervisor's schema on the extension's datasource: creating this bean applied the library's
 * migrations (their own location and history table, so the application's own Flyway is not
 * involved), or skipped them when {@code quarkus.supervisor.migrate=false}. It is created at
 * start-up, after {@code quarkus-flyway} ran the application's migrations.
 *
 * @param migrationsApplied how many migrations ran at start-up (0 when up to date or skipped)
 */
public record SupervisorSchema(int migrationsApplied) {
}
