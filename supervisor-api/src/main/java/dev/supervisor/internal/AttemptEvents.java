package dev.supervisor.internal;

import dev.supervisor.Runner;

/**
 * What a {@link ProcessAttempt} reports about itself, from its runner's thread: the only way an
 * attempt talks back, so that it depends on this and nothing else of the engine.
 */
interface AttemptEvents<K, P extends Runner> {
    /** The runner called {@code ready()} (maybe again, maybe too late). */
    void ready(ProcessAttempt<K, P> attempt);

    /**
     * The runner (or another thread) called {@code retire()}: delete the key's row, then mark the
     * attempt as retiring itself. Blocks until the row is deleted.
     */
    void retire(ProcessAttempt<K, P> attempt);

    /** The runner returned ({@code error} null) or threw; the attempt's thread ends after this. */
    void ended(ProcessAttempt<K, P> attempt, Throwable error);
}
