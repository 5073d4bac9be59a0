package dev.supervisor.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.KeyState;
import dev.supervisor.ProcessContext;
import dev.supervisor.ProcessStatus;
import dev.supervisor.RestartMode;
import dev.supervisor.RestartPolicy;
import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testsupport.Waits;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The configuration example of docs/restart-policy.md, run: each key gets the policy the comments promise. */
class RestartPolicyExampleTest {

    /** A worker that fails right after starting, and may carry a policy of its own (null: none). */
    record Worker(RestartPolicy restartPolicy) implements Runner {
        @Override
        public void run(ProcessContext context) {
            context.ready();
            throw new IllegalStateException("worker failed");
        }
    }

    @Test
    void eachKeyFollowsThePolicyTheExampleGivesIt() {
        InMemoryTable<String, Worker> table = new InMemoryTable<>();
        table.put("batch-report", new Worker(null));
        table.put("web", new Worker(null));
        table.put("own", new Worker(RestartPolicy.DEFAULT.withBackoff(Duration.ofMinutes(7), Duration.ofMinutes(10))));

        // docs: restart-policy
        RestartPolicy policy = RestartPolicy.DEFAULT
                .withBackoff(Duration.ofSeconds(1), Duration.ofMinutes(2))  // 1 s doubling to 2 min
                .withGiveUp(5, Duration.ofMinutes(1));                       // more than 5 failures in a minute: give up

        Supervisor<String, Worker> supervisor = Supervisor.builder(table)
                .restartPolicy(policy)                                       // every key...
                .restartPolicyFor((key, worker) -> key.startsWith("batch-")  // ...except these, which run once;
                        ? RestartPolicy.of(RestartMode.NEVER)
                        : worker.restartPolicy())                            // a Worker may carry its own; null keeps the builder's
                .random(new Random(42))                                      // seeded jitter, for reproducible tests
                .build();
        // docs: end

        try (supervisor) {
            supervisor.launch();
            await().atMost(Waits.SHORT).until(() -> supervisor.statuses().values().stream()
                    .map(ProcessStatus::state).filter(s -> s == KeyState.BACKOFF || s == KeyState.COMPLETED).count() == 3);

            assertThat(supervisor.status("batch-report").orElseThrow().state()).isEqualTo(KeyState.COMPLETED);
            assertThat(delayOf(supervisor.status("web").orElseThrow()))                  // the builder's: 1 s ± 20 %
                    .isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
            assertThat(delayOf(supervisor.status("own").orElseThrow()))                  // its own: 7 min ± 20 %
                    .isGreaterThan(Duration.ofMinutes(5));
        }
    }

    private static Duration delayOf(ProcessStatus<String> status) {
        assertThat(status.state()).isEqualTo(KeyState.BACKOFF);
        return Duration.between(status.lastExit().orElseThrow().at(), status.nextAttemptAt().orElseThrow());
    }
}
