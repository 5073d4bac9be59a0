package dev.supervisor;

import static org.awaitility.Awaitility.await;

import dev.supervisor.testsupport.Waits;
import java.time.Duration;
import org.awaitility.core.ConditionFactory;

/** How the core tests wait: one real-time bound, and Awaitility with it. */
final class Waiting {
    /** The real-time bound of every wait; tests never depend on it being short. */
    static final Duration WAIT = Waits.SHORT;

    private Waiting() {
    }

    /** Awaitility, bounded by {@link #WAIT}, checking at once and then every millisecond. */
    static ConditionFactory waiting() {
        return await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).pollInSameThread();
    }
}
