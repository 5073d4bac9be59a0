package dev.supervisor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Percentiles from HdrHistogram, within its 0.1 % resolution. */
class LatencyStatsTest {

    private static final long MILLISECOND = 1_000_000;

    @Test
    void percentilesOfOneToAThousandMilliseconds() {
        long[] nanos = LongStream.rangeClosed(1, 1_000).map(ms -> ms * MILLISECOND).toArray();

        LatencyStats stats = LatencyStats.of(nanos);

        assertThat(stats.count()).isEqualTo(1_000);
        assertThat(stats.p50()).isCloseTo(500.0, within(0.5));
        assertThat(stats.p90()).isCloseTo(900.0, within(0.9));
        assertThat(stats.p99()).isCloseTo(990.0, within(1.0));
        assertThat(stats.max()).isCloseTo(1_000.0, within(1.0));
    }

    @Test
    void aSingleSampleIsEveryPercentile() {
        LatencyStats stats = LatencyStats.of(new long[] {7 * MILLISECOND});

        assertThat(stats.p50()).isCloseTo(7.0, within(0.007));
        assertThat(stats.p99()).isEqualTo(stats.p50());
        assertThat(stats.max()).isEqualTo(stats.p50());
    }

    @Test
    void refusesNoSamplesAndNegativeOnes() {
        assertThatThrownBy(() -> LatencyStats.of(new long[0])).hasMessage("no samples");
        assertThatThrownBy(() -> LatencyStats.of(new long[] {5, -1})).hasMessageContaining("-1 ns");
    }
}
