/**
 * Tables in a SQL database for the supervisor: {@link dev.supervisor.jdbc.JdbcTable},
 * {@link dev.supervisor.jdbc.Database}, the status write-back and cluster leases. Reads the core
 * module {@code dev.supervisor} transitively, so a user requires this module alone.
 *
 * <p>The JDBC driver of the database in use is the user's to add: {@code com.h2database} (H2), or
 * {@code org.postgresql.jdbc} and Flyway's PostgreSQL plugin (PostgreSQL), or MariaDB Connector/J
 * ({@code org.mariadb.jdbc}) and Flyway's MySQL plugin (MariaDB, MySQL). On the module path they
 * are found as services; the PostgreSQL driver is read only when present.
 */
@SuppressWarnings("requires-automatic") // Jdbi, Flyway and the PostgreSQL driver are automatic modules
module dev.supervisor.jdbc {
    requires transitive dev.supervisor;
    requires transitive java.sql;
    requires java.management;
    requires org.jdbi.v3.core;
    // Jdbi is an automatic module, so nothing would resolve the explicit module it uses at run time.
    requires io.leangen.geantyref;
    requires com.zaxxer.hikari;
    // flyway-core has no module name of its own: this is the name Java derives from its jar's file name.
    requires flyway.core;
    requires org.slf4j;
    requires static org.postgresql.jdbc;
    requires static com.h2database;

    exports dev.supervisor.jdbc;

    // Flyway finds the migrations through the class loader, which sees a named module's resources
    // only in packages opened to everyone.
    opens dev.supervisor.jdbc.migration.common;
    opens dev.supervisor.jdbc.migration.h2;
    opens dev.supervisor.jdbc.migration.postgresql;
    opens dev.supervisor.jdbc.migration.mysql;
}
