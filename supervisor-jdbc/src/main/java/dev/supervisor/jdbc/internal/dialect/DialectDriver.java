package dev.supervisor.jdbc.internal.dialect;

import java.sql.Driver;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A dialect's own JDBC driver, made by its class name. Connecting through it skips
 * {@link java.sql.DriverManager}, which first loads and initializes every driver on the class
 * path (PostgreSQL's brings {@code java.util.logging} with it): a noticeable part of a
 * short-lived tool's one connection.
 */
public final class DialectDriver {

    private DialectDriver() {
    }

    /** The driver of dialect if it is present and accepts url; else empty (leave it to DriverManager). */
    public static Optional<Driver> accepting(SqlDialect dialect, String url) {
        String name = dialect.driverClass(url);
        try {
            Driver driver = (Driver) Class.forName(name, true, DialectDriver.class.getClassLoader()).getConstructor().newInstance();
            return driver.acceptsURL(url) ? Optional.of(driver) : Optional.empty();
        } catch (ReflectiveOperationException | LinkageError | ClassCastException | SQLException e) {
            return Optional.empty();
        }
    }
}
