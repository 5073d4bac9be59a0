package dev.supervisor.tests.jdbc;

import dev.supervisor.jdbc.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh embedded H2 database per test class, opened the way an embedder opens it
 * ({@link Database#embedded}: a file in H2's automatic mixed mode), in a temporary directory
 * deleted afterwards. Register with {@code @RegisterExtension static final H2DatabaseExtension}.
 */
public final class H2DatabaseExtension implements TestDatabase, BeforeAllCallback, AfterAllCallback {

    private Path directory;
    private String url;
    private Database database;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        directory = Files.createTempDirectory("supervisor-h2-");
        Path file = directory.resolve(context.getRequiredTestClass().getSimpleName());
        database = Database.embedded(file);
        url = Database.h2FileUrl(file);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (database != null) {
            sql("SHUTDOWN");
            database.close();
        }
        if (directory != null) {
            try (var files = Files.walk(directory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Override
    public Database database() {
        return database;
    }

    @Override
    public Connection plainConnection() throws SQLException {
        return DriverManager.getConnection(url);
    }

    @Override
    public String toString() {
        return "H2 " + url;
    }
}
