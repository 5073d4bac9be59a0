package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class DatabaseBuilderTest {

    /**
     * Migrating H2 holds three connections at once (the migration lock and Flyway's two): a
     * smaller pool used to wait out the connection timeout and fail obscurely. It is now refused
     * up front, naming the option.
     */
    @Test
    void aPoolTooSmallToMigrateH2IsRefusedUpFront() {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        assertThatThrownBy(() -> Database.builder(url).poolSize(2).open())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("poolSize 2")
                .hasMessageContaining("at least 3");
        try (Database database = Database.builder(url).poolSize(3).open()) {
            assertThat(database.dialect()).isEqualTo(Dialect.H2);
        }
    }

    @Test
    void embeddedUrlWritesEveryCommitAtOnce() {
        assertThat(Database.h2FileUrl(java.nio.file.Path.of("/tmp/x"))).contains("AUTO_SERVER=TRUE").contains("WRITE_DELAY=0");
    }

    @Test
    void passwordsInUrlsAreMaskedWhateverTheirCase() {
        assertThat(Database.masked("jdbc:h2:file:/srv/db;USER=sa;PASSWORD=s3cret;AUTO_SERVER=TRUE"))
                .isEqualTo("jdbc:h2:file:/srv/db;USER=sa;PASSWORD=***;AUTO_SERVER=TRUE");
        assertThat(Database.masked("jdbc:postgresql://db/ops?user=ops&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/ops?user=ops&password=***&ssl=true");
        assertThat(Database.masked("jdbc:h2:mem:x;Password=s3cret")).doesNotContain("s3cret");
        assertThat(Database.masked("jdbc:mariadb://db/ops?user=ops&password=s3cret")).isEqualTo("jdbc:mariadb://db/ops?user=ops&password=***");
        assertThatThrownBy(() -> Database.builder("jdbc:sqlserver://db;password=s3cret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("s3cret")
                .hasMessageContaining("jdbc:h2:..., jdbc:postgresql:..., jdbc:mariadb:... or jdbc:mysql:...");
    }

    /** MySQL's URLs are MariaDB's dialect; without MySQL Connector/J (not a test dependency), opening names its artifact. */
    @Test
    void aMysqlUrlWithoutItsDriverNamesTheArtifactToAdd() {
        assertThat(Dialect.forUrl("jdbc:mysql://db/x")).isEqualTo(Dialect.MARIADB);
        assertThat(Dialect.forUrl("jdbc:mariadb://db/x")).isEqualTo(Dialect.MARIADB);
        assertThatThrownBy(() -> Database.builder("jdbc:mysql://127.0.0.1:1/x?password=s3cret").open())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("com.mysql:mysql-connector-j")
                .hasMessageNotContaining("s3cret");
    }
}
