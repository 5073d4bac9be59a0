package dev.supervisor.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supervisor.testsupport.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon's executable jar, run the way a user runs it: {@code java -jar supervisor.jar
 * [options] COMMAND ...}, each command a process of its own. The jar's path comes from the
 * {@code supervisor.jar} system property (set by this module's pom).
 */
final class SupervisorJar {
    private static final ObjectMapper MAPPER = new ObjectMapper();


    /** The longest one command may take. */
    static final Duration COMMAND_TIMEOUT = Waits.PROCESS;

    private static final AtomicInteger RUNS = new AtomicInteger();

    private final Path scratch;
    private final List<String> options;
    private final Map<String, String> environment;

    /**
     * Commands with {@code options} before the command (such as {@code --home DIR}), writing their
     * output to files in {@code scratch}.
     */
    SupervisorJar(Path scratch, List<String> options, Map<String, String> environment) {
        this.scratch = scratch;
        this.options = List.copyOf(options);
        this.environment = Map.copyOf(environment);
    }

    static SupervisorJar withHome(Path home, String... moreOptions) {
        List<String> options = new ArrayList<>(List.of("--home", home.toString()));
        options.addAll(List.of(moreOptions));
        return new SupervisorJar(home, options, Map.of());
    }

    /** The same commands with extra environment variables. */
    SupervisorJar withEnvironment(Map<String, String> env) {
        return new SupervisorJar(scratch, options, env);
    }

    /** The verbs that run for long: they get the JVM's defaults, as users run them. */
    private static final Set<String> DAEMONS = Set.of("run", "demo");
    /**
     * The options {@code bin/supervisor} gives one-shot verbs (a quick compiler, a small
     * collector): the suites run hundreds of them, and they change nothing a test checks.
     */
    static final List<String> ONE_SHOT_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData");

    static Path jar() {
        String path = System.getProperty("supervisor.jar");
        assertThat(path).as("system property supervisor.jar (set by supervisor-tests/pom.xml)").isNotNull();
        Path jar = Path.of(path).toAbsolutePath().normalize();
        assertThat(jar).as("the executable jar; build it with ./mvnw -DskipTests package").exists();
        return jar;
    }

    /** The process builder for {@code java -jar supervisor.jar OPTIONS args}. */
    ProcessBuilder command(List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (args.isEmpty() || !DAEMONS.contains(args.getFirst())) {
            command.addAll(ONE_SHOT_JVM_OPTIONS);
        }
        command.addAll(List.of("-jar", jar().toString()));
        command.addAll(options);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(scratch.toFile());
        builder.environment().remove("SUPERVISOR_HOME");
        builder.environment().putAll(environment);
        return builder;
    }

    /** Runs one command to its end; fails the test if it takes longer than {@link #COMMAND_TIMEOUT}. */
    Result run(String... args) {
        int n = RUNS.incrementAndGet();
        Path out = scratch.resolve("cli-" + n + ".out");
        Path err = scratch.resolve("cli-" + n + ".err");
        try {
            Process process = command(List.of(args)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("supervisor " + String.join(" ", args) + " did not end within " + COMMAND_TIMEOUT);
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Starts {@code run args}: the daemon, its stdout and stderr going to a file. */
    RunningDaemon startDaemon(String... args) {
        List<String> run = new ArrayList<>(List.of("run"));
        run.addAll(List.of(args));
        Path output = scratch.resolve("daemon-" + RUNS.incrementAndGet() + ".out");
        try {
            Process process = command(run).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            return new RunningDaemon(process, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code list --json}, parsed; fails the test unless it exits 0. */
    List<JsonNode> list() {
        Result result = run("list", "--json");
        assertThat(result.code()).as("list --json: %s", result).isZero();
        List<JsonNode> rows = new ArrayList<>();
        try {
            MAPPER.readTree(result.out()).forEach(rows::add);
        } catch (IOException e) {
            throw new AssertionError("list --json printed no JSON array: " + result, e);
        }
        return rows;
    }

    /** The {@code list --json} object of name, if it is listed. */
    Optional<JsonNode> row(String name) {
        return list().stream().filter(r -> r.get("name").asText().equals(name)).findFirst();
    }

    /** How one command ended. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + ", stdout: " + out.strip() + ", stderr: " + err.strip();
        }
    }
}
