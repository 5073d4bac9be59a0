package dev.supervisor.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.RestartMode;
import dev.supervisor.cli.CommandSpec;
import dev.supervisor.cli.output.ListedProcess;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ListCommandTest {

    private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");

    private static ListedProcess row(String name, String state, OptionalLong pid, Optional<Instant> since,
            OptionalInt exit, Optional<String> error) {
        CommandSpec spec = new CommandSpec(List.of("sh", "-c", "echo " + name), Map.of(), Optional.empty(), RestartMode.ALWAYS);
        return new ListedProcess(name, Optional.of(spec), Optional.empty(), state, pid, Optional.empty(), 2, 1,
                Optional.of(NOW), since, Optional.empty(), exit, error, Optional.of("1@host"), Optional.of(NOW), false,
                Optional.empty(), Optional.empty());
    }

    @Test
    void aTableForPeopleWithTheFailuresUnderneath() {
        String table = ListCommand.table(List.of(
                row("web", "RUNNING", OptionalLong.of(4242), Optional.of(NOW.minusSeconds(192)), OptionalInt.of(137),
                        Optional.of("exited with code 137 (SIGKILL)")),
                row("worker-long-name", "BACKOFF", OptionalLong.empty(), Optional.empty(), OptionalInt.empty(),
                        Optional.of("cannot run x: No such file or directory"))), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(table).isEqualTo("""
                NAME              STATE    PID   RESTARTS  UPTIME  LAST EXIT  COMMAND
                web               RUNNING  4242  1         3m12s   137        sh -c 'echo web'
                worker-long-name  BACKOFF  -     1         -       -          sh -c 'echo worker-long-name'

                  web: exited with code 137 (SIGKILL)
                  worker-long-name: cannot run x: No such file or directory
                """);
    }

    @Test
    void aPausedRowShowsPausedOnceNoProcessIsReported() {
        assertThat(ListedProcess.state("RUNNING", true)).as("still stopping it").isEqualTo("RUNNING");
        assertThat(ListedProcess.state("STOPPING", true)).isEqualTo("STOPPING");
        assertThat(ListedProcess.state("STOPPED", true)).isEqualTo("PAUSED");
        assertThat(ListedProcess.state("BACKOFF", true)).isEqualTo("PAUSED");
        assertThat(ListedProcess.state(ListedProcess.PENDING, true)).as("no daemon reported yet").isEqualTo("PAUSED");
        assertThat(ListedProcess.state("BACKOFF", false)).isEqualTo("BACKOFF");
    }

    @Test
    void statusShowsOneRowInFull() {
        ListedProcess row = new ListedProcess("web", row("web", "BACKOFF", OptionalLong.empty(), Optional.empty(),
                OptionalInt.of(1), Optional.of("exited with code 1")).spec(), Optional.empty(), "BACKOFF", OptionalLong.empty(),
                Optional.empty(), 3, 2, Optional.of(NOW.minusSeconds(5)), Optional.empty(), Optional.of("FAILED"),
                OptionalInt.of(1), Optional.of("exited with code 1"), Optional.of("1@host"), Optional.of(NOW), false,
                Optional.of(NOW.plusSeconds(4)), Optional.empty());
        assertThat(StatusCommand.describe(row, Clock.fixed(NOW, ZoneOffset.UTC))).isEqualTo("""
                name:          web
                state:         BACKOFF
                pid:           -
                attempt:       3
                restarts:      2
                uptime:        -
                next attempt:  2030-01-01T12:00:04Z (in 4s)
                last exit:     FAILED (exited with code 1)
                last error:    exited with code 1
                command:       sh -c 'echo web'
                restart:       always
                dir:           -
                node:          1@host
                updated:       2030-01-01T12:00:00Z
                """);
    }

    @Test
    void theJsonObjectHasEveryDocumentedField() {
        Map<String, Object> json = row("web", "RUNNING", OptionalLong.of(4242), Optional.of(NOW), OptionalInt.empty(),
                Optional.empty()).toJson();
        assertThat(json).containsKeys("name", "state", "pid", "restarts", "startedAt", "lastExit", "command", "nextAttemptAt",
                        "paused")
                .containsEntry("paused", false).containsEntry("nextAttemptAt", null)
                .containsEntry("pid", 4242L).containsEntry("lastExit", null).containsEntry("startedAt", "2030-01-01T12:00:00Z")
                .containsEntry("command", List.of("sh", "-c", "echo web"));
    }
}
