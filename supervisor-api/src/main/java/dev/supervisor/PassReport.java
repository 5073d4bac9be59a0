package dev.supervisor;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one reconcile pass: a full pass over every row, or an incremental one over the
 * rows changed since the passes before (see {@link Table#changedSince}). Immutable.
 *
 * @param startedAt when the pass began, on the supervisor's clock
 * @param duration how long it took, measured in real time (for monitoring, not for decisions)
 * @param rowsSeen rows the cursor returned
 * @param started processes the pass started (in the background: their starts may still fail)
 * @param retired processes the pass found without a row and stopped
 * @param skipped rows whose value could not be decoded, with the error; they were left alone
 * @param failure the error that ended the pass early (a failing cursor), if any
 * @param incremental true if the pass read only the rows changed since the passes before (it then
 *     retires nothing: deletions reach the supervisor by the change signal, or by the next full pass)
 */
public record PassReport<K>(
        Instant startedAt,
        Duration duration,
        int rowsSeen,
        int started,
        int retired,
        List<SkippedRow<K>> skipped,
        Optional<Throwable> failure,
        boolean incremental) {

    /** A full pass's report. */
    public PassReport(Instant startedAt, Duration duration, int rowsSeen, int started, int retired,
            List<SkippedRow<K>> skipped, Optional<Throwable> failure) {
        this(startedAt, duration, rowsSeen, started, retired, skipped, failure, false);
    }

    /** A row a pass could not decode. */
    public record SkippedRow<K>(K key, Throwable error) {
        /** Checks that both parts are present. */
        public SkippedRow {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(error, "error");
        }
    }

    /** Copies the list so the report stays immutable. */
    public PassReport {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
        skipped = List.copyOf(skipped);
        Objects.requireNonNull(failure, "failure");
    }

    /** True when the pass read every row it set out to read (the whole table, or every changed row). */
    public boolean complete() {
        return failure.isEmpty();
    }
}
