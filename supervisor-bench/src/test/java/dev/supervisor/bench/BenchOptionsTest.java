package dev.supervisor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The bench's command line, read by picocli. */
class BenchOptionsTest {

    @Test
    void byDefaultEveryScenarioRunsAtFullSize() {
        BenchOptions options = BenchOptions.parse();

        assertThat(options.quick()).isFalse();
        assertThat(options.scenarios()).isEqualTo(BenchOptions.ALL);
        assertThat(options.out().isAbsolute()).isTrue();
        assertThat(options.out().getFileName()).isEqualTo(Path.of("bench"));
    }

    @Test
    void readsQuickOutAndOnly() {
        BenchOptions options = BenchOptions.parse("--quick", "--out", "some/dir", "--only", "4,2");

        assertThat(options.quick()).isTrue();
        assertThat(options.out()).isEqualTo(Path.of("some/dir").toAbsolutePath());
        assertThat(options.scenarios()).containsExactlyInAnyOrder(2, 4);
    }

    @Test
    void aScenarioThatDoesNotExistIsRefusedByNumber() {
        assertThatThrownBy(() -> BenchOptions.parse("--only", "1,9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--only takes scenario numbers 1 to 5, got 9");
    }

    @Test
    void theDatabasesAreAllThreeUnlessNamed() {
        assertThat(BenchOptions.parse().databases()).containsExactlyInAnyOrder(Store.H2, Store.POSTGRESQL, Store.MARIADB);
        assertThat(BenchOptions.parse("--databases", "mariadb").databases()).containsExactly(Store.MARIADB);
        assertThat(BenchOptions.parse("--databases", "H2,postgresql").databases()).containsExactlyInAnyOrder(Store.H2,
                Store.POSTGRESQL);
        assertThatThrownBy(() -> BenchOptions.parse("--databases", "oracle"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("oracle");
        assertThatThrownBy(() -> BenchOptions.parse("--databases", "in_memory"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--databases");
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> BenchOptions.parse("--only", "two"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--only").hasMessageContaining("two");
        assertThatThrownBy(() -> BenchOptions.parse("--fast"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--fast");
        assertThatThrownBy(() -> BenchOptions.parse("--out"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--out");
    }

    @Test
    void theHelpNamesEveryOptionAndThePostgresUrl() {
        String usage = BenchOptions.commandLine().getUsageMessage();

        assertThat(usage).contains("--quick", "--out", "--only", "--help", BenchDatabase.DEFAULT_PG_URL);
    }
}
