package dev.supervisor.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.tests.cli.SupervisorJar.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What keeps the one-shot commands fast: on a migrated database, {@code add}, {@code list},
 * {@code status} and {@code remove} load neither the connection pool, Flyway's migration engine
 * (only its version class, to compare the schema's), Jackson's object mapper, Micrometer nor the
 * HTTP server, and no JDBC driver but the URL's (checked in the JVM's class-loading log).
 */
@Timeout(120)
class OneShotClassesTest {

    /** Packages a one-shot command must not load a class of. */
    private static final List<String> HEAVY = List.of("com.zaxxer.hikari.", "org.flywaydb.core.Flyway ",
            "org.flywaydb.core.internal.", "com.fasterxml.jackson.databind.", "io.micrometer.", "com.sun.net.httpserver.",
            "org.postgresql.");

    @TempDir
    Path home;

    @Test
    void oneShotCommandsLoadOnlyWhatTheyUse() throws IOException {
        SupervisorJar cli = SupervisorJar.withHome(home);
        assertThat(cli.run("add", "web", "--", "sleep", "1000").code()).as("the first command migrates").isZero();

        for (List<String> command : List.of(List.of("add", "api", "--env", "A=1", "--", "sleep", "1000"), List.of("list"),
                List.of("status", "api"), List.of("remove", "api"))) {
            Path log = home.resolve("classes-" + command.get(0) + ".log");
            Result result = cli.withEnvironment(Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + log))
                    .run(command.toArray(String[]::new));
            assertThat(result.code()).as("%s: %s", command, result).isZero();
            List<String> loaded = Files.readAllLines(log).stream().filter(line -> line.contains(" source: ")).toList();
            assertThat(loaded).as("the classes %s loads", command).anyMatch(line -> line.contains(" org.h2.Driver "))
                    .noneMatch(line -> HEAVY.stream().anyMatch(prefix -> line.contains(" " + prefix)));
        }
    }
}
