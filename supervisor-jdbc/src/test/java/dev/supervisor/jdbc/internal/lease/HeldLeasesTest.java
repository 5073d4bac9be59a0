package dev.supervisor.jdbc.internal.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.Ownership;
import dev.supervisor.jdbc.KeyCodec;
import dev.supervisor.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What one node believes it holds, driven step by step as the heartbeat and the lease loop would. */
class HeldLeasesTest {

    private final ManualClock clock = new ManualClock();
    private final NodeIdentity identity = new NodeIdentity("n1");
    private final List<String> acquired = new CopyOnWriteArrayList<>();
    private final HeldLeases<String> held = new HeldLeases<>(identity, clock, Duration.ofSeconds(2), Duration.ofSeconds(1),
            KeyCodec.STRING, () -> { });

    HeldLeasesTest() {
        held.open(new Ownership.Control<>() {
            @Override
            public void acquired(String key) {
                acquired.add(key);
            }

            @Override
            public CompletableFuture<Void> lost(String key) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> lost(String key, Duration forceAfter) {
                return CompletableFuture.completedFuture(null);
            }
        });
    }

    /**
     * A lease found in the database rather than won (a claim whose answer was lost, or whose
     * commit was not acknowledged by the synchronous standby) starts only once a heartbeat armed
     * after it was read is confirmed: the read may see a commit the standby does not have yet,
     * and that heartbeat, committed after it, is acknowledged only once the standby has both.
     */
    @Test
    void anAdoptedLeaseStartsOnlyAfterAHeartbeatArmedAfterItsReading() {
        held.confirmed(held.arm());
        held.claimed(identity.id(), Map.of("won", 1L));
        assertThat(acquired).containsExactly("won"); // a claim acknowledged by the database starts at once

        CompletableFuture<Void> inFlight = held.arm(); // a heartbeat on its way while the loop reads the leases
        held.reconciled(identity.id(), Map.of("won", 1L, "found", 2L));
        assertThat(held.epoch("found")).isEmpty();
        held.confirmed(inFlight);
        assertThat(held.epoch("found")).as("confirmed by a heartbeat sent before the reading").isEmpty();
        assertThat(acquired).containsExactly("won");

        held.confirmed(held.arm());
        assertThat(held.epoch("found")).hasValue(2L);
        assertThat(acquired).containsExactly("won", "found");
    }
}
