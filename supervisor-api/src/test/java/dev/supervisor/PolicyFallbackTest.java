package dev.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.PolicyDoubles.Rig;
import dev.supervisor.Runners.FailsInstantly;
import dev.supervisor.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Regressions for the restart timer's exactness and a faulty per-key policy function. */
@Timeout(30)
class PolicyFallbackTest {

    /**
     * A restartPolicyFor that throws used to escape on the process's thread, leaving the key
     * STOPPED with no backoff, so the next pass restarted it at once. It now falls back to the
     * builder's policy.
     */
    @Test
    void restartPolicyForThatThrowsFallsBackToTheDefaultPolicy() {
        RestartPolicy fallback = RestartPolicy.DEFAULT.withJitter(0).withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(2));
        try (Rig rig = new Rig(builder -> builder.restartPolicy(fallback)
                .restartPolicyFor((key, process) -> { throw new IllegalStateException("faulty policy function"); }))) {
            rig.launch();
            FailsInstantly worker = new FailsInstantly();
            rig.table.put("k", worker);

            ProcessStatus<String> status = rig.awaitBackoff("k", 1);

            assertThat(status.nextAttemptAt()).contains(status.lastExit().orElseThrow().at().plus(Duration.ofSeconds(2)));
        }
    }

    /** The restart timer fires exactly at the nextAttemptAt the status published, even if the clock moved meanwhile. */
    @Test
    void manualClockAtFiresExactlyAtItsInstant() {
        ManualClock clock = new ManualClock();
        Instant due = clock.now().plus(Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(3)); // the clock moves between computing due and arming
        CompletableFuture<Void> timer = clock.at(due);

        clock.advance(Duration.ofSeconds(7).minusNanos(1));
        assertThat(timer).isNotDone();
        clock.advance(Duration.ofNanos(1));
        assertThat(timer).isDone();
        assertThat(clock.at(due)).as("a due instant already reached").isDone();
    }
}
