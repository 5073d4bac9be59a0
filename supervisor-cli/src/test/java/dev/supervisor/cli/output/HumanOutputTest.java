package dev.supervisor.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.KeyState;
import dev.supervisor.PassReport;
import dev.supervisor.ProcessExit;
import dev.supervisor.ProcessStatus;
import dev.supervisor.TableException;
import dev.supervisor.cli.process.CommandFailure;
import dev.supervisor.cli.process.LiveProcesses;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HumanOutputTest {

    private static final Instant NOW = Instant.parse("2030-01-01T12:00:01Z");

    private final StringWriter text = new StringWriter();
    private final LiveProcesses live = new LiveProcesses();
    private final HumanOutput output = new HumanOutput(new PrintWriter(text), Clock.fixed(NOW, ZoneOffset.UTC), live);

    private static ProcessStatus<String> status(String key, KeyState state, int attempt, Optional<ProcessExit> exit) {
        return new ProcessStatus<>(key, state, attempt, attempt - 1, Optional.of(NOW), Optional.empty(),
                state == KeyState.BACKOFF ? Optional.of(NOW.plusMillis(500)) : Optional.empty(), exit);
    }

    private static Optional<ProcessExit> exit(ProcessExit.Kind kind, Throwable error) {
        return Optional.of(new ProcessExit(kind, Optional.ofNullable(error), 1, NOW, Duration.ofSeconds(3)));
    }

    @Test
    void oneLinePerEvent() {
        live.spawned("web", 1, ProcessHandle.current());
        output.statusChanged(status("web", KeyState.STARTING, 1, Optional.empty()));
        output.statusChanged(status("web", KeyState.RUNNING, 1, Optional.empty()));
        output.statusChanged(status("web", KeyState.STOPPED, 1, exit(ProcessExit.Kind.FAILED, CommandFailure.exited(1))));
        output.statusChanged(status("web", KeyState.BACKOFF, 1, exit(ProcessExit.Kind.FAILED, CommandFailure.exited(1))));
        output.statusChanged(status("bad", KeyState.BACKOFF, 1, exit(ProcessExit.Kind.START_FAILED,
                CommandFailure.cannotRun("nosuch", new java.io.IOException("Cannot run program \"nosuch\": error=2, No such file or directory")))));
        output.statusChanged(status("once", KeyState.COMPLETED, 1, exit(ProcessExit.Kind.SUCCEEDED, null)));
        output.statusChanged(status("web", KeyState.STOPPED, 2, exit(ProcessExit.Kind.STOPPED, null)));
        output.retired(status("web", KeyState.STOPPED, 2, exit(ProcessExit.Kind.STOPPED, null)));

        assertThat(text.toString()).isEqualTo("""
                12:00:01 web started (pid %d)
                12:00:01 web exited with code 1; restarting in 0.5 s
                12:00:01 bad failed to start: cannot run nosuch: No such file or directory; restarting in 0.5 s
                12:00:01 once exited with code 0; not restarting it (its restart mode)
                12:00:01 web stopped
                12:00:01 web retired
                """.formatted(ProcessHandle.current().pid()));
    }

    @Test
    void aRowThatCannotBeDecodedIsReportedOnceUntilItChanges() {
        PassReport<String> report = new PassReport<>(NOW, Duration.ZERO, 1, 0, 0, List.of(new PassReport.SkippedRow<>("junk",
                new TableException("cannot decode junk", new IllegalArgumentException("\"argv\" must be an array")))),
                Optional.empty());
        output.passCompleted(report);
        output.passCompleted(report);
        output.passCompleted(new PassReport<>(NOW, Duration.ZERO, 0, 0, 0, List.of(), Optional.empty()));
        output.passCompleted(report);

        assertThat(text.toString().lines()).containsExactly(
                "12:00:01 junk skipped: its payload is not a command: \"argv\" must be an array",
                "12:00:01 junk skipped: its payload is not a command: \"argv\" must be an array");
    }

    @Test
    void anInvalidRowIsPrintedOnceWithItsReasonAndNotAgainForThePassThatSkipsIt() {
        String reason = "cannot decode the row for key junk in table t: \"argv\" must be an array";
        output.statusChanged(new ProcessStatus<>("junk", KeyState.INVALID, 0, 0, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(reason)));
        output.passCompleted(new PassReport<>(NOW, Duration.ZERO, 1, 0, 0, List.of(new PassReport.SkippedRow<>("junk",
                new TableException("junk", reason, new IllegalArgumentException("\"argv\" must be an array")))),
                Optional.empty()));

        assertThat(text.toString().lines()).containsExactly("12:00:01 junk invalid: " + reason);
    }
}
