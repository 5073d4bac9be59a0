package dev.supervisor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.testsupport.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the harness working: runs every scenario once with {@code --quick} and checks that each
 * produced numbers and the reports were written. It asserts no timing: quick numbers mean nothing.
 *
 * <p>PostgreSQL ({@code $SUPERVISOR_TEST_PG_URL}) and MariaDB ({@code $SUPERVISOR_TEST_MARIADB_URL}, scenarios
 * 1, 2 and 5): when unreachable, its check is skipped with a message, unless {@code CI} is set, in
 * which case it fails ({@link TestServer#skipOrFail}).
 */
class QuickBenchTest {

    private static final Path OUT = Path.of("target", "bench-quick");
    private static Optional<String> postgresUnavailable;
    private static Optional<String> mariaDbUnavailable;
    private static Results results;

    @BeforeAll
    static void runQuick() throws IOException {
        postgresUnavailable = BenchDatabase.postgresUnavailable();
        mariaDbUnavailable = BenchDatabase.mariaDbUnavailable();
        results = BenchMain.run(BenchOptions.parse("--quick", "--out", OUT.toString()), "--quick");
    }

    @Test
    void everyScenarioRanWithoutFailure() {
        assertThat(results.failures()).isEmpty();
        assertThat(scenariosMeasuredOn(Store.H2)).containsExactly(1, 2, 3, 4, 5);
        assertThat(scenariosMeasuredOn(Store.IN_MEMORY)).containsExactly(1, 3, 4);
    }

    @Test
    void everyNumberIsANumber() {
        assertThat(results.measurements()).isNotEmpty().allSatisfy(m -> assertThat(m.value()).as(m.toString()).isFinite());
    }

    @Test
    void wroteTheTableTheCsvAndTheChart() throws IOException {
        List<String> csv = Files.readAllLines(OUT.toAbsolutePath().resolve("results.csv"));
        assertThat(csv.get(0)).isEqualTo("scenario,measurement,store,metric,value,unit,goal,met");
        assertThat(csv).hasSize(results.measurements().size() + 1);
        assertThat(Files.readString(OUT.toAbsolutePath().resolve("results.md")))
                .contains("| scenario | measurement | H2 file | PostgreSQL | MariaDB | in memory / none | goal |")
                .contains("load averages");
        Path chart = OUT.toAbsolutePath().resolve("latency.png");
        assertThat(chart).exists();
        assertThat(Files.size(chart)).isPositive();
    }

    @Test
    void ranOnPostgres() {
        postgresUnavailable.ifPresent(TestServer.postgres()::skipOrFail);
        assertThat(scenariosMeasuredOn(Store.POSTGRESQL)).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void ranOnMariaDb() {
        mariaDbUnavailable.ifPresent(TestServer.mariaDb()::skipOrFail);
        assertThat(scenariosMeasuredOn(Store.MARIADB)).containsExactly(1, 2, 5);
    }

    private static Set<Integer> scenariosMeasuredOn(Store store) {
        return results.measurements().stream().filter(m -> m.store() == store)
                .map(m -> Integer.parseInt(m.scenario().substring(0, 1)))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
