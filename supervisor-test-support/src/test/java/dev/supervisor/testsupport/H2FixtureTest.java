package dev.supervisor.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The H2 fixture: a fresh database in memory or in a file, gone once closed. */
class H2FixtureTest {

    @Test
    void inMemoryEachFixtureIsAFreshDatabase() {
        try (H2Fixture one = new H2Fixture(); H2Fixture other = new H2Fixture()) {
            one.start();
            other.start();
            one.sql("CREATE TABLE jobs (id INT PRIMARY KEY)", "INSERT INTO jobs VALUES (1)");

            assertThat(one.number("SELECT COUNT(*) FROM jobs")).isEqualTo(1);
            assertThat(other.number("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'JOBS'")).isZero();
        }
    }

    @Test
    void inAFileTheDirectoryIsDeletedOnClose() {
        H2Fixture h2 = new H2Fixture(file -> "jdbc:h2:file:" + file.toAbsolutePath() + ";AUTO_SERVER=TRUE");
        h2.start();
        h2.sql("CREATE TABLE jobs (id INT PRIMARY KEY)");
        Path directory = h2.file().getParent();
        assertThat(directory).isDirectoryContaining(p -> p.getFileName().toString().endsWith(".mv.db"));

        h2.close();

        assertThat(Files.exists(directory)).isFalse();
    }
}
