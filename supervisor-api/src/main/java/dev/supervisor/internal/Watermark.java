package dev.supervisor.internal;

import java.util.OptionalLong;

/**
 * Where the next incremental pass starts reading: the revisions the passes so far have covered.
 *
 * <p>A revision is taken when a row is written but counts only once its transaction commits, so
 * on a database with concurrent writers a row may appear with a revision below one already seen
 * (PostgreSQL hands out sequence values at insert time; a transaction that took 100 may commit
 * after one that took 101 was read). So the watermark lags by one pass: each pass reads from the
 * highest revision known <em>before the previous pass</em>, and every changed row is read by two
 * passes. A row is missed only if its transaction took its revision before one pass and
 * committed after the next one began, a whole reconcile interval later; the change signal
 * (PostgreSQL notifies at commit) and the full passes at the resync interval still find it.
 *
 * <p>Concurrency: used only by the thread that runs passes (launch's thread before the loop starts,
 * then the loop's thread), one pass at a time.
 */
final class Watermark {
    private static final long NONE = Long.MIN_VALUE;

    /** The highest revision any completed pass covered; NONE before the first full pass. */
    private long covered = NONE;
    /** Where the next incremental pass reads from: {@link #covered} as it was before the last pass. */
    private long floor = NONE;

    /** Where the next incremental pass reads from (rows with a greater revision), or empty: a full pass must come first. */
    OptionalLong readFrom() {
        return floor == NONE ? OptionalLong.empty() : OptionalLong.of(floor);
    }

    /**
     * A pass completed, having covered every revision up to {@code highest} (for a full pass, the
     * table's latest revision read before its cursor opened; for an incremental one, the highest
     * revision it read, or what was covered already).
     */
    void passCompleted(long highest) {
        long before = covered;
        covered = Math.max(covered, highest);
        floor = before == NONE ? covered : before;
    }

    /** Forgets everything: the next pass must be a full one (the table stopped reporting revisions). */
    void reset() {
        covered = NONE;
        floor = NONE;
    }

    @Override
    public String toString() {
        return "Watermark[covered " + (covered == NONE ? "none" : covered) + ", next pass reads from "
                + (floor == NONE ? "a full pass" : floor) + "]";
    }
}
