package dev.supervisor.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.tests.cli.SupervisorJar.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's exit codes, a contract: 0 success; 1 refused, with one line saying why;
 * 2 a usage error, with the usage. No daemon runs: the commands work on the table alone.
 */
@Timeout(120)
class ExitCodesTest {

    @TempDir
    static Path home;

    static SupervisorJar cli;

    @BeforeAll
    static void addOneRow() {
        cli = SupervisorJar.withHome(home);
        Result added = cli.run("add", "web", "--restart", "on-failure", "--env", "PORT=8080", "--", "sleep", "1000");
        assertThat(added.code()).as("%s", added).isZero();
        assertThat(added.out()).isEqualTo("added web: sleep 1000\n");
    }

    @Test
    void success() {
        Result list = cli.run("list");
        assertThat(list.code()).isZero();
        assertThat(list.out()).startsWith("NAME").contains("web", "PENDING", "sleep 1000");
        assertThat(cli.run("--help").code()).isZero();
        assertThat(cli.run("--version").code()).isZero();
    }

    @Test
    void addingAnExistingNameIsRefused() {
        assertRefused(cli.run("add", "web", "--", "true"), "supervisor: a process named web exists already; remove it first");
    }

    @Test
    void removingAnUnknownNameIsRefused() {
        assertRefused(cli.run("remove", "nosuch"), "supervisor: no process named nosuch");
    }

    @Test
    void logsOfAnUnknownNameAreRefused() {
        Result logs = cli.run("logs", "nosuch");
        assertThat(logs.code()).isEqualTo(1);
        assertThat(logs.err()).startsWith("supervisor: no process named nosuch").hasLineCount(1);
        assertThat(cli.run("logs", "web").code()).as("a row not run yet: no output, no error").isZero();
    }

    @Test
    void anUnreachableDatabaseIsRefusedWithoutShowingThePassword() {
        SupervisorJar elsewhere = SupervisorJar.withHome(home, "--db",
                "jdbc:postgresql://127.0.0.1:1/test?user=someone&password=hunter22")
                .withEnvironment(Map.of("SUPERVISOR_DB_PASSWORD", "correct-horse"));
        for (String command : new String[] {"run", "list"}) {
            Result result = elsewhere.run(command);
            assertThat(result.code()).as("%s: %s", command, result).isEqualTo(1);
            assertThat(result.err()).startsWith("supervisor: cannot reach the database jdbc:postgresql://127.0.0.1:1/test")
                    .hasLineCount(1).doesNotContain("hunter22", "correct-horse");
            assertThat(result.out()).doesNotContain("hunter22", "correct-horse");
        }
    }

    @Test
    void theVerbsRefuseAnUnknownName() {
        for (String verb : List.of("restart", "stop", "start", "status")) {
            assertRefused(cli.run(verb, "nosuch"), "supervisor: no process named nosuch");
        }
        assertUsage(cli.run("restart"), "Missing required parameter: 'NAME'");
        assertUsage(cli.run("status", "web", "extra"), "Unmatched argument");
        assertUsage(cli.run("stop", "web", "--timeout", "0"), "--timeout must be within 1..3600");
    }

    @Test
    void withoutADaemonStopAndStartPauseAndResumeTheRowAndRestartIsRefused() {
        assertThat(cli.run("add", "idle", "--", "sleep", "1000").code()).isZero();
        Result stopped = cli.run("stop", "idle");
        assertThat(stopped.code()).as("%s", stopped).isZero();
        assertThat(stopped.err()).contains("warning: no daemon is running on");
        assertThat(cli.row("idle").orElseThrow().get("state").asText()).isEqualTo("PAUSED");
        assertThat(cli.row("idle").orElseThrow().get("paused").asBoolean()).isTrue();
        assertRefused(cli.run("restart", "idle"), "supervisor: idle is stopped (PAUSED); start it with: supervisor start idle");

        Result started = cli.run("start", "idle");
        assertThat(started.code()).as("%s", started).isZero();
        assertThat(cli.row("idle").orElseThrow().get("state").asText()).isEqualTo("PENDING");
        Result restart = cli.run("restart", "idle");
        assertThat(restart.code()).as("%s", restart).isEqualTo(1);
        assertThat(restart.err()).startsWith("supervisor: cannot restart idle: no daemon is running on");
    }

    @Test
    void usageErrorsExitTwoWithTheUsage() {
        assertUsage(cli.run("add", "api", "sleep", "1"), "Missing '--' before the command");
        assertUsage(cli.run("add", "api", "--"), "Missing required parameter");
        assertUsage(cli.run("add", "api", "--restart", "sometimes", "--", "sleep", "1"), "sometimes");
        assertUsage(cli.run("add", "../etc", "--", "sleep", "1"), "Invalid NAME");
        assertUsage(cli.run("list", "--yaml"), "Unknown option");
        assertUsage(cli.run("frobnicate"), "Unmatched argument");
        assertUsage(cli.run(), "Missing required subcommand");
        assertUsage(cli.run("--db", "jdbc:sqlite:/tmp/x.db", "list"), "not a supported JDBC URL");
    }

    @Test
    void aSupportedDatabaseWhoseDriverIsMissingNamesTheArtifactToAdd() {
        Result mysql = cli.run("--db", "jdbc:mysql://localhost/x", "list");
        assertThat(mysql.code()).as("%s", mysql).isEqualTo(1);
        assertThat(mysql.err()).contains("com.mysql:mysql-connector-j").doesNotContain("No suitable driver");
    }

    private static void assertRefused(Result result, String line) {
        assertThat(result.code()).as("%s", result).isEqualTo(1);
        assertThat(result.err()).isEqualTo(line + "\n");
    }

    private static void assertUsage(Result result, String message) {
        assertThat(result.code()).as("%s", result).isEqualTo(2);
        assertThat(result.err()).contains(message).contains("Usage: supervisor");
    }
}
