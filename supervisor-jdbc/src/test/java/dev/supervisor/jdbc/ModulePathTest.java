package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.supervisor.Supervisor;
import io.leangen.geantyref.TypeToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two modules' descriptors, tried the way a user's modular application meets them: a small
 * application module ({@code src/test/resources/modular-app}) that requires {@code dev.supervisor.jdbc}
 * alone is compiled against, and run on, a module path of the built modules and their libraries,
 * in a JVM of its own (this module's other tests run on the class path, where descriptors are ignored).
 *
 * <p>What fails here when a descriptor is wrong: a package the application uses is not exported,
 * or {@code dev.supervisor} is not required transitively (the application does not compile); a
 * library or JDK module is not required (the application fails at run time with an access error);
 * the migrations' packages are not opened (Flyway finds no migrations and the table is missing); an
 * {@code internal} package is exported (the probe that imports it compiles). The module path holds H2
 * but neither the PostgreSQL driver nor Flyway's PostgreSQL plugin: an H2 user needs neither. Without
 * the library a database needs, opening it must fail naming the artifact to add.
 */
class ModulePathTest {

    private static final long RUN_SECONDS = 180;

    @Test
    void aModularApplicationRunsSupervisorsOnTheModulePath(@TempDir Path dir) throws Exception {
        List<Path> modulePath = modulePath(true);
        Path app = compileApp(dir, modulePath, "module-info.java", "app/ModularApp.java");

        Run run = run(modulePath, app);

        assertThat(run.output()).as(run.toString()).contains("modular app ok: supervisor.modular.app read"
                + " dev.supervisor.jdbc and dev.supervisor");
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @Test
    void theInternalPackagesAreNotExported(@TempDir Path dir) throws Exception {
        List<Path> modulePath = modulePath(true);
        copyAppSource(dir, "module-info.java");
        Files.createDirectories(dir.resolve("src/app"));
        Files.writeString(dir.resolve("src/app/Probe.java"), """
                package app;

                import dev.supervisor.internal.*;

                final class Probe {
                }
                """);
        Files.writeString(dir.resolve("src/app/JdbcProbe.java"), """
                package app;

                import dev.supervisor.jdbc.internal.dialect.*;
                import dev.supervisor.jdbc.internal.lease.*;
                import dev.supervisor.jdbc.internal.signal.*;
                import dev.supervisor.jdbc.internal.table.*;

                final class JdbcProbe {
                }
                """);

        Compilation compilation = compile(dir.resolve("src"), modulePath, dir.resolve("out"),
                List.of("module-info.java", "app/Probe.java", "app/JdbcProbe.java"));

        assertThat(compilation.succeeded()).as(compilation.diagnostics()).isFalse();
        assertThat(compilation.diagnostics())
                .contains("package dev.supervisor.internal is not visible")
                .contains("package dev.supervisor.jdbc.internal.dialect is not visible")
                .contains("package dev.supervisor.jdbc.internal.lease is not visible")
                .contains("package dev.supervisor.jdbc.internal.signal is not visible")
                .contains("package dev.supervisor.jdbc.internal.table is not visible");
    }

    @Test
    void withoutTheH2DriverOpeningAnH2DatabaseSaysWhatToAdd(@TempDir Path dir) throws Exception {
        List<Path> withH2 = modulePath(true);
        Path app = compileApp(dir, withH2, "module-info.java", "app/ModularApp.java");

        Run run = run(modulePath(false), app);

        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        assertThat(run.output()).as(run.toString())
                .contains("no JDBC driver for H2 is on the class path or module path: add com.h2database:h2");
    }

    @Test
    void withoutFlywaysPostgresPluginOpeningAPostgresDatabaseSaysWhatToAdd(@TempDir Path dir) throws Exception {
        List<Path> modulePath = modulePath(false);
        modulePath.add(locationOf(org.postgresql.Driver.class));
        Path app = compileApp(dir, modulePath, "module-info.java", "app/OpenDatabase.java");

        // Checked before any connection is tried: no server needs to listen on this port.
        Run run = run(modulePath, app, "app.OpenDatabase", "jdbc:postgresql://127.0.0.1:1/none");

        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        assertThat(run.output()).as(run.toString()).contains("Flyway's PostgreSQL support is not on the class path"
                + " or module path: add org.flywaydb:flyway-database-postgresql");
    }

    /** The built modules and the libraries an H2 user has, each found from a class it holds. */
    private static List<Path> modulePath(boolean withH2) {
        List<Path> path = new ArrayList<>(List.of(
                locationOf(Supervisor.class),      // supervisor-api
                locationOf(Database.class),        // supervisor-jdbc (this module's classes)
                locationOf(Jdbi.class),
                locationOf(TypeToken.class),       // geantyref, Jdbi's dependency
                locationOf(HikariDataSource.class),
                locationOf(Flyway.class),
                locationOf(org.slf4j.Logger.class)));
        if (withH2) {
            path.add(locationOf(org.h2.Driver.class));
        }
        return path;
    }

    private static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate " + type, e);
        }
    }

    private static Path compileApp(Path dir, List<Path> modulePath, String... sources) throws Exception {
        for (String source : sources) {
            copyAppSource(dir, source);
        }
        Path out = dir.resolve("out");
        Compilation compilation = compile(dir.resolve("src"), modulePath, out, List.of(sources));
        assertThat(compilation.succeeded()).as(compilation.diagnostics()).isTrue();
        return out;
    }

    private static void copyAppSource(Path dir, String source) throws IOException {
        Path target = dir.resolve("src").resolve(source);
        Files.createDirectories(target.getParent());
        try (InputStream in = ModulePathTest.class.getResourceAsStream("/modular-app/" + source)) {
            assertThat(in).as("test resource modular-app/" + source).isNotNull();
            Files.copy(in, target);
        }
    }

    private record Compilation(boolean succeeded, String diagnostics) {
    }

    private static Compilation compile(Path sources, List<Path> modulePath, Path out, List<String> files)
            throws Exception {
        Files.createDirectories(out);
        List<String> command = new ArrayList<>(List.of(jdkTool("javac"), "--module-path", joined(modulePath),
                "-d", out.toString()));
        files.forEach(file -> command.add(sources.resolve(file).toString()));
        Run run = execute(command);
        return new Compilation(run.exitCode() == 0, run.output());
    }

    private record Run(int exitCode, String output, List<String> command) {
        @Override
        public String toString() {
            return "exit " + exitCode + " of " + String.join(" ", command) + "\n" + output;
        }
    }

    private static Run run(List<Path> modulePath, Path app) throws Exception {
        return run(modulePath, app, "app.ModularApp");
    }

    private static Run run(List<Path> modulePath, Path app, String mainClass, String... args) throws Exception {
        List<Path> path = new ArrayList<>(modulePath);
        path.add(app);
        List<String> command = new ArrayList<>(List.of(jdkTool("java"), "--module-path", joined(path),
                "--module", "supervisor.modular.app/" + mainClass));
        command.addAll(List.of(args));
        return execute(command);
    }

    /** The JDK's own javac and java, not javax.tools: this test class is compiled into the patched module. */
    private static String jdkTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    private static Run execute(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = process.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!process.waitFor(RUN_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not end within " + RUN_SECONDS + " s: " + String.join(" ", command));
        }
        return new Run(process.exitValue(), output.get(RUN_SECONDS, TimeUnit.SECONDS), command);
    }

    private static String joined(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
    }
}
