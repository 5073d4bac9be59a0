package dev.supervisor.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.time.Instant;
import java.util.List;
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
}
