package dev.supervisor.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Runs every benchmark scenario and reports: progress lines as it goes, then a markdown table
 * (paste-able into the README), {@code results.csv}, {@code results.md} (machine, load and table)
 * and {@code latency.png} in the output directory. Library logging goes to {@code bench.log}
 * there. Exit status 0 when every scenario ran (missed goals are reported, not failures), 1 when
 * one failed, 2 for a bad command line, 3 when one was stuck (a thread dump is written).
 *
 * <pre>
 * ./mvnw -q -DskipTests package &amp;&amp; java -jar supervisor-bench/target/supervisor-bench.jar [--quick]
 * </pre>
 */
public final class BenchMain {

    /** The command, as the README gives it. */
    static final String COMMAND = "./mvnw -q -DskipTests package && java -jar supervisor-bench/target/supervisor-bench.jar";

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("bench-watchdog").factory());

    private static final List<Scenario> SCENARIOS = List.of(new PassCostScenario(), new ChangeLatencyScenario(),
            new MassStartScenario(), new CrashLoopScenario(), new DbSchedulerScenario());

    private BenchMain() {
    }

    public static void main(String[] args) throws IOException {
        CommandLine commandLine = BenchOptions.commandLine();
        BenchOptions options;
        try {
            commandLine.parseArgs(args);
            if (commandLine.isUsageHelpRequested()) {
                commandLine.usage(System.out);
                return;
            }
            options = commandLine.<BenchOptions.Arguments>getCommand().options();
        } catch (ParameterException e) {
            System.err.println(e.getMessage());
            commandLine.usage(System.err);
            System.exit(2);
            return;
        }
        Results results = run(options, String.join(" ", args));
        System.exit(results.failures().isEmpty() ? 0 : 1);
    }

    /**
     * Runs the scenarios {@code options} selects and writes the reports.
     *
     * @param arguments the command-line arguments, for the record in results.md
     * @return what was measured; scenarios that failed are in {@link Results#failures()}
     */
    static Results run(BenchOptions options, String arguments) throws IOException {
        Files.createDirectories(options.out());
        configureLogging(options.out());
        Results results = new Results();
        List<Store> databases = new ArrayList<>();
        if (options.databases().contains(Store.H2)) {
            databases.add(Store.H2);
        }
        Optional<String> postgresProblem = options.databases().contains(Store.POSTGRESQL) ? BenchDatabase.postgresUnavailable()
                : Optional.of("not asked for (--databases)");
        if (postgresProblem.isPresent()) {
            System.out.println(postgresProblem.get() + ": skipping the PostgreSQL runs of every scenario");
            results.skip(Store.POSTGRESQL, postgresProblem.get());
        } else {
            databases.add(Store.POSTGRESQL);
        }
        Optional<String> mariaDbProblem = options.databases().contains(Store.MARIADB) ? BenchDatabase.mariaDbUnavailable()
                : Optional.of("not asked for (--databases)");
        if (mariaDbProblem.isPresent()) {
            System.out.println(mariaDbProblem.get() + ": skipping the MariaDB runs of every scenario");
            results.skip(Store.MARIADB, mariaDbProblem.get());
        } else {
            databases.add(Store.MARIADB);
        }
        List<String> machine = Machine.describe(postgresProblem.isPresent() ? Optional.empty() : Machine.postgresVersion());
        String loadAtStart = Machine.loadAverages();
        System.out.println("supervisor-bench" + (options.quick() ? " --quick (small sizes: the numbers mean nothing)" : ""));
        machine.forEach(line -> System.out.println("  " + line));
        System.out.println("  load averages at start: " + loadAtStart);
        System.out.println("  output: " + options.out());

        BenchRun run = new BenchRun(options, List.copyOf(databases), results, System.nanoTime());
        for (Scenario scenario : SCENARIOS) {
            if (!options.scenarios().contains(scenario.number())) {
                continue;
            }
            run.progress("== scenario %s", scenario.label());
            ScheduledFuture<?> alarm = WATCHDOG.schedule(() -> stuck(scenario, options),
                    options.scenarioLimit().toMillis(), TimeUnit.MILLISECONDS);
            try {
                scenario.run(run);
            } catch (Exception | Error e) {
                results.fail("scenario " + scenario.label() + ": " + e);
                run.progress("scenario %s FAILED: %s (stack trace follows; the other scenarios go on)", scenario.label(), e);
                e.printStackTrace(System.out);
            } finally {
                alarm.cancel(false);
            }
        }
        results.note("issue 16's fourth figure, the daemon CLI's list (median of 5, 1 row; goal ≤ 0.35 s), is measured by"
                + " the CLI's own script, not by this bench");
        String loadAtEnd = Machine.loadAverages();
        run.progress("done; load averages at end: %s", loadAtEnd);

        String table = ResultTable.markdown(results);
        String report = report(options, arguments, machine, loadAtStart, loadAtEnd, table, results);
        System.out.println();
        System.out.println(report);
        Files.writeString(options.out().resolve("results.md"), report);
        Files.writeString(options.out().resolve("results.csv"), ResultTable.csv(results));
        try {
            LatencyChart.write(results.latencies(), options.out().resolve("latency.png"));
        } catch (IOException | RuntimeException | Error e) {
            results.fail("latency chart: " + e);
            System.out.println("could not draw latency.png: " + e);
        }
        System.out.println("wrote " + options.out().resolve("results.csv") + ", results.md, latency.png; logs in bench.log");
        return results;
    }

    private static String report(BenchOptions options, String arguments, List<String> machine, String loadAtStart,
            String loadAtEnd, String table, Results results) {
        StringBuilder out = new StringBuilder();
        out.append("Command: `").append(COMMAND).append(arguments.isBlank() ? "" : " " + arguments).append("`")
                .append(options.quick() ? " (quick mode: small sizes, the numbers mean nothing)" : "").append("\n\n");
        out.append("Machine:\n\n");
        machine.forEach(line -> out.append("- ").append(line).append('\n'));
        out.append("- load averages (1, 5, 15 min): ").append(loadAtStart).append(" at start, ").append(loadAtEnd)
                .append(" at end\n\n");
        out.append(table).append('\n');
        List<Measurement> missed = ResultTable.missed(results);
        if (!missed.isEmpty()) {
            out.append("Missed goals:\n\n");
            missed.forEach(m -> out.append("- ").append(m.scenario()).append(", ").append(m.row()).append(", ")
                    .append(m.store().title()).append(": ").append(m.unit().append(m.unit().format(m.value())))
                    .append(" (goal ").append(m.goal().text()).append(")\n"));
            out.append('\n');
        }
        if (!results.notes().isEmpty()) {
            out.append("Notes:\n\n");
            results.notes().forEach(note -> out.append("- ").append(note).append('\n'));
            out.append('\n');
        }
        results.skipped().forEach((store, reason) -> out.append("Skipped ").append(store.title()).append(": ")
                .append(reason).append("\n\n"));
        if (!results.failures().isEmpty()) {
            out.append("FAILED:\n\n");
            results.failures().forEach(failure -> out.append("- ").append(failure).append('\n'));
        }
        return out.toString();
    }

    /**
     * A scenario that runs far past its time is stuck (seen once: the supervisor's virtual threads
     * spinning in HikariCP's connection hand-off, and close() waiting for them). Rather than hang a
     * CI run for an hour: dump every thread, virtual ones included, say where, and halt.
     */
    private static void stuck(Scenario scenario, BenchOptions options) {
        Path dump = options.out().resolve("stuck-scenario-" + scenario.number() + ".txt");
        System.out.println("scenario " + scenario.label() + " did not finish within " + options.scenarioLimit()
                + "; writing a thread dump (virtual threads included) to " + dump + " and stopping");
        try {
            Files.deleteIfExists(dump);
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpThreads(dump.toString(),
                    HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
        } catch (IOException | RuntimeException e) {
            System.out.println("could not write the thread dump: " + e);
        }
        System.out.flush();
        Runtime.getRuntime().halt(3); // not exit(): shutdown hooks could wait on the stuck threads
    }

    /** Sends slf4j-simple's output to bench.log, unless the user configured it (or it already started). */
    private static void configureLogging(Path out) {
        if (System.getProperty("org.slf4j.simpleLogger.logFile") == null) {
            System.setProperty("org.slf4j.simpleLogger.logFile", out.resolve("bench.log").toString());
        }
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    }
}
