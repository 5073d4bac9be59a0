package dev.supervisor.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A fresh H2 database: in memory ({@link #H2Fixture()}), or in a file of a new temporary directory
 * ({@link #H2Fixture(Function)}), which is deleted on close. H2 runs in the test's JVM, so it is
 * never unreachable; its driver must be on the test class path. See {@link DatabaseFixture} for the
 * life cycle.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final H2Fixture H2 = new H2Fixture();
 * ...
 * Database database = H2.attach(Database.connect(H2.url()));
 * H2.sql("INSERT INTO ...");
 * }</pre>
 */
public class H2Fixture extends DatabaseFixture {

    private final Function<Path, String> fileUrl;
    private Path directory;
    private Path file;
    private String url;

    /** A fresh in-memory database, kept until the fixture closes ({@code DB_CLOSE_DELAY=-1}). */
    public H2Fixture() {
        super(null);
        this.fileUrl = null;
    }

    /**
     * A fresh database in a file of a new temporary directory, at the URL {@code fileUrl} makes of
     * the file's path (for this project: {@code Database::h2FileUrl}, H2's mixed mode).
     */
    public H2Fixture(Function<Path, String> fileUrl) {
        super(null);
        this.fileUrl = Objects.requireNonNull(fileUrl, "fileUrl");
    }

    @Override
    protected void create(String name) {
        if (fileUrl == null) {
            url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
        } else {
            try {
                directory = Files.createTempDirectory("supervisor-h2-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary directory for H2", e);
            }
            file = directory.resolve(name);
            url = fileUrl.apply(file);
        }
        TestServer.requireDriver(url);
    }

    /** The database's JDBC URL; null before {@link #start()}. */
    @Override
    public String url() {
        return url;
    }

    /** The database's file (without H2's {@code .mv.db}); null for an in-memory database or before {@link #start()}. */
    public Path file() {
        return file;
    }

    @Override
    protected void drop() {
        sql("SHUTDOWN");
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + directory, e);
            }
        }
    }

    @Override
    public String toString() {
        return "H2 " + url;
    }
}
