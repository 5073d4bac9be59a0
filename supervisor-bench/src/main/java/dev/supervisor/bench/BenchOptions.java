package dev.supervisor.bench;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What to run and how big: the full run, or {@code --quick} (small sizes, for CI to keep the
 * harness working; its numbers mean nothing).
 *
 * @param quick small sizes
 * @param out where results.csv, results.md, latency.png and the logs go
 * @param scenarios the scenario numbers to run (1 to 5)
 */
/**
 * @param databases the databases to run on (when reachable); the in-memory baselines always run
 */
record BenchOptions(boolean quick, Path out, Set<Integer> scenarios, Set<Store> databases) {

    static final Set<Integer> ALL = Set.of(1, 2, 3, 4, 5);
    /** Every database the bench knows. */
    static final Set<Store> DATABASES = Set.of(Store.H2, Store.POSTGRESQL, Store.MARIADB);

    /** The command line, as picocli reads it; {@link #options()} checks it and makes the options. */
    @Command(name = "supervisor-bench", sortOptions = false,
            customSynopsis = "java -jar supervisor-bench.jar [--quick] [--out DIR] [--only N[,N...]] [--databases D[,D...]]",
            description = "Runs the benchmark scenarios and writes results.csv, results.md, latency.png and bench.log.",
            footer = {"PostgreSQL: $SUPERVISOR_TEST_PG_URL, by default",
                    "  " + BenchDatabase.DEFAULT_PG_URL + " (schema " + BenchDatabase.SCHEMA + ");",
                    "MariaDB: $SUPERVISOR_TEST_MARIADB_URL, by default",
                    "  " + BenchDatabase.DEFAULT_MARIADB_URL + " (database " + BenchDatabase.SCHEMA + ");",
                    "when it is unreachable its scenarios are skipped with a message."})
    static final class Arguments {

        @Spec
        private CommandSpec spec;

        @Option(names = "--quick", description = "small sizes (seconds, not minutes): checks the harness, numbers mean nothing")
        private boolean quick;

        @Option(names = "--out", paramLabel = "DIR", description = "where results.csv, results.md, latency.png and"
                + " bench.log go (default: supervisor-bench/target/bench, next to the jar)")
        private Path out;

        @Option(names = "--only", paramLabel = "N", split = ",", description = "run only these scenarios (1 pass cost,"
                + " 2 change latency, 3 mass start, 4 crash loop, 5 db-scheduler)")
        private List<Integer> only;

        @Option(names = "--databases", paramLabel = "D", split = ",", description = "run on these databases only:"
                + " h2, postgresql, mariadb (default: all three)")
        private List<Store> databases;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        private boolean help;

        /**
         * The options these arguments ask for.
         *
         * @throws ParameterException if a scenario number is not one of {@link #ALL}
         */
        BenchOptions options() {
            Set<Integer> scenarios = new TreeSet<>(only == null ? ALL : only);
            for (int n : scenarios) {
                if (!ALL.contains(n)) {
                    throw new ParameterException(spec.commandLine(), "--only takes scenario numbers 1 to 5, got " + n);
                }
            }
            Set<Store> stores = databases == null ? DATABASES : Set.copyOf(databases);
            if (stores.contains(Store.IN_MEMORY)) {
                throw new ParameterException(spec.commandLine(), "--databases takes h2, postgresql or mariadb");
            }
            return new BenchOptions(quick, (out == null ? defaultOut() : out).toAbsolutePath(), Set.copyOf(scenarios), stores);
        }
    }

    /** A picocli command line over fresh {@link Arguments}. */
    static CommandLine commandLine() {
        return new CommandLine(new Arguments()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /**
     * Parses the command line.
     *
     * @throws IllegalArgumentException naming the argument that is wrong
     */
    static BenchOptions parse(String... args) {
        CommandLine commandLine = commandLine();
        try {
            commandLine.parseArgs(args);
            return commandLine.<Arguments>getCommand().options();
        } catch (ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** target/bench of this module: next to the jar, or next to target/classes. */
    private static Path defaultOut() {
        try {
            Path code = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.getParent().resolve("bench");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("target", "bench");
        }
    }

    // ---------------------------------------------------------------- sizes

    /** Scenario 1: table sizes. */
    List<Integer> passRows() {
        return quick ? List.of(2_000) : List.of(10_000, 100_000);
    }

    /** Scenario 1: JMH warmup iterations per trial; each runs passes for {@link #passIteration()}. */
    int passWarmups() {
        return quick ? 1 : 4;
    }

    /** Scenario 1: JMH measured iterations per trial. */
    int passMeasurements() {
        return quick ? 2 : 5;
    }

    /** Scenario 1: the length of one JMH iteration (as many passes as fit, the last may overrun). */
    Duration passIteration() {
        return quick ? Duration.ofMillis(200) : Duration.ofSeconds(1);
    }

    /** Scenario 1: JMH forks per trial (quick runs in-process, to stay fast inside a test). */
    int passForks() {
        return quick ? 0 : 1;
    }

    /** Scenario 2: rows inserted and deleted one by one. */
    int latencyRows() {
        return quick ? 30 : 1_000;
    }

    /** Scenario 2: how long each H2 change check variant runs on its idle table, after as long a warmup. */
    Duration checkCostWindow() {
        return quick ? Duration.ofMillis(300) : Duration.ofSeconds(10);
    }

    /** Scenarios 2 and 5: unrecorded rows first, so that class loading and JIT do not count. */
    int latencyWarmup() {
        return quick ? 5 : 50;
    }

    /** Scenario 3: rows present at launch. */
    List<Integer> massStartRows() {
        return quick ? List.of(2_000) : List.of(10_000, 100_000, MassStartScenario.MILLION);
    }

    /** Scenario 4: keys crashing at once. */
    int crashKeys() {
        return quick ? 100 : 1_000;
    }

    /** Scenario 4: how long they crash. */
    Duration crashWindow() {
        return quick ? Duration.ofSeconds(3) : Duration.ofSeconds(30);
    }

    /** Scenario 5: latency samples per implementation and path. */
    int schedulerLatencySamples() {
        return quick ? 20 : 200;
    }

    /**
     * Scenario 5: short-lived executions per throughput run. Quick runs keep it small: each is a
     * virtual thread borrowing from a pool of 8, and a burst of hundreds once livelocked in
     * HikariCP's hand-off on a loaded two-core machine (see the README's findings).
     */
    int schedulerExecutions() {
        return quick ? 50 : 5_000;
    }

    /** How long one scenario may run before the run is declared stuck. */
    Duration scenarioLimit() {
        return quick ? Duration.ofMinutes(3) : Duration.ofMinutes(25);
    }
}
