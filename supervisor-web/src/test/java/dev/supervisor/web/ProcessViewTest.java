package dev.supervisor.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.supervisor.KeyState;
import dev.supervisor.ProcessExit;
import dev.supervisor.ProcessStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The JSON object of one process: every field, in order, null where unknown, instants as ISO-8601. */
class ProcessViewTest {

    @Test
    void everyFieldInItsOrderNullWhereUnknown() {
        ProcessView view = ProcessView.builder("mailer", "BACKOFF").attempt(3).restarts(2)
                .startedAt(Instant.parse("2026-12-01T10:00:00Z")).nextAttemptAt(Instant.parse("2026-12-01T10:00:05Z"))
                .lastExitKind("FAILED").lastError("boom").node("7@host").build();
        assertThat(view.toJson()).containsExactly(
                entry("name", "mailer"), entry("state", "BACKOFF"), entry("pid", null), entry("processStartedAt", null),
                entry("attempt", 3), entry("restarts", 2), entry("startedAt", "2026-12-01T10:00:00Z"),
                entry("runningSince", null), entry("nextAttemptAt", "2026-12-01T10:00:05Z"), entry("paused", false),
                entry("lastExit", null), entry("lastExitKind", "FAILED"), entry("lastError", "boom"), entry("reason", null),
                entry("health", null), entry("command", null),
                entry("restart", null), entry("dir", null), entry("node", "7@host"), entry("updatedAt", null));
        assertThat(view.name()).isEqualTo("mailer");
        assertThat(view.state()).isEqualTo("BACKOFF");
    }

    @Test
    void aCommandIsAListOfStrings() {
        assertThat(ProcessView.builder("web", "RUNNING").pid(42L).command(List.of("sleep", "100")).lastExit(0).build().toJson())
                .containsEntry("pid", 42L).containsEntry("command", List.of("sleep", "100")).containsEntry("lastExit", 0);
    }

    @Test
    void aKeyOfASupervisorInThisJvmFromItsStatus() {
        Instant started = Instant.parse("2026-12-01T10:00:00Z");
        ProcessExit failed = new ProcessExit(ProcessExit.Kind.FAILED, Optional.of(new IllegalStateException("queue gone")), 2,
                started.plusSeconds(9), Duration.ofSeconds(8));
        ProcessStatus<String> backoff = new ProcessStatus<>("mailer", KeyState.BACKOFF, 2, 1, Optional.of(started),
                Optional.empty(), Optional.of(started.plusSeconds(10)), Optional.of(failed));
        assertThat(ProcessView.of(backoff, "7@host").toJson()).containsEntry("name", "mailer").containsEntry("state", "BACKOFF")
                .containsEntry("attempt", 2).containsEntry("restarts", 1).containsEntry("nextAttemptAt", "2026-12-01T10:00:10Z")
                .containsEntry("lastExitKind", "FAILED").containsEntry("lastError", "IllegalStateException: queue gone")
                .containsEntry("paused", false).containsEntry("node", "7@host").containsEntry("pid", null);

        ProcessStatus<Integer> invalid = new ProcessStatus<>(42, KeyState.INVALID, 0, 0, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of("row 42: not a number"));
        assertThat(ProcessView.of(invalid, "n").toJson()).containsEntry("name", "42").containsEntry("lastError", "row 42: not a number");
        ProcessStatus<String> paused = new ProcessStatus<>("p", KeyState.PAUSED, 1, 0, Optional.of(started), Optional.empty(),
                Optional.empty(), Optional.empty());
        assertThat(ProcessView.of(paused, "n").toJson()).containsEntry("paused", true);
    }
}
