package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.jdbc.internal.lease.FairShare;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each node's share of the rows: even, rounded up, and filled around nodes of small capacity. */
class FairShareTest {

    private static final int UNLIMITED = LeaseOwnership.UNLIMITED;

    @Test
    void rowsAreSharedEvenlyRoundedUp() {
        assertThat(FairShare.of(10, List.of(UNLIMITED, UNLIMITED, UNLIMITED), UNLIMITED)).isEqualTo(4);
        assertThat(FairShare.of(9, List.of(UNLIMITED, UNLIMITED, UNLIMITED), UNLIMITED)).isEqualTo(3);
        assertThat(FairShare.of(1, List.of(UNLIMITED, UNLIMITED), UNLIMITED)).isEqualTo(1);
        assertThat(FairShare.of(0, List.of(UNLIMITED, UNLIMITED), UNLIMITED)).isZero();
    }

    @Test
    void aLoneNodeTakesEverything() {
        assertThat(FairShare.of(1_000, List.of(UNLIMITED), UNLIMITED)).isEqualTo(1_000);
    }

    @Test
    void aSmallNodeTakesWhatItCanAndTheOthersShareTheRest() {
        List<Integer> capacities = List.of(2, UNLIMITED, UNLIMITED);
        assertThat(FairShare.of(10, capacities, 2)).isEqualTo(2);
        assertThat(FairShare.of(10, capacities, UNLIMITED)).isEqualTo(4);
    }

    @Test
    void whenEveryNodeIsTooSmallEachTakesItsCapacity() {
        assertThat(FairShare.of(3, List.of(2), 2)).isEqualTo(2);
        assertThat(FairShare.of(100, List.of(2, 5), 5)).isEqualTo(5);
    }

    @Test
    void sharesNeverExceedCapacityAndCoverEveryRowWhenCapacityAllows() {
        List<Integer> capacities = List.of(3, 5, 100);
        int total = FairShare.of(50, capacities, 3) + FairShare.of(50, capacities, 5) + FairShare.of(50, capacities, 100);
        assertThat(total).isGreaterThanOrEqualTo(50);
        assertThat(FairShare.of(50, capacities, 3)).isEqualTo(3);
        assertThat(FairShare.of(50, capacities, 5)).isEqualTo(5);
        assertThat(FairShare.of(50, capacities, 100)).isEqualTo(42);
    }
}
