package dev.supervisor.cli.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.ProcessExit;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AttemptEnvironmentTest {

    private static ProcessExit exit(ProcessExit.Kind kind, Throwable error) {
        return new ProcessExit(kind, Optional.ofNullable(error), 1, Instant.EPOCH, Duration.ofSeconds(1));
    }

    @Test
    void describesHowThePreviousAttemptEnded() {
        assertThat(AttemptEnvironment.describe(exit(ProcessExit.Kind.FAILED, CommandFailure.exited(3)))).isEqualTo("exit:3");
        assertThat(AttemptEnvironment.describe(exit(ProcessExit.Kind.FAILED, CommandFailure.exited(137)))).isEqualTo("signal:KILL");
        assertThat(AttemptEnvironment.describe(exit(ProcessExit.Kind.START_FAILED,
                CommandFailure.exitedEarly(1, Duration.ofSeconds(1))))).isEqualTo("exit:1");
        assertThat(AttemptEnvironment.describe(exit(ProcessExit.Kind.START_FAILED, CommandFailure.refused("no")))).isEqualTo("failed");
        assertThat(AttemptEnvironment.describe(exit(ProcessExit.Kind.SUCCEEDED, null))).isEqualTo("exit:0");
        assertThat(AttemptEnvironment.describe(exit(ProcessExit.Kind.STOPPED, null))).isEqualTo("stopped");
        assertThat(AttemptEnvironment.describe(exit(ProcessExit.Kind.CANCELLED, null))).isEqualTo("stopped");
    }
}
