package dev.supervisor;

/** When a process that ended on its own (no stop asked for) is started again while its row exists. */
public enum RestartMode {
    /** Always: the row exists, so keep it running. Clean exits and failures are both restarted, with backoff. The default. */
    ALWAYS,
    /** Only after a failure; a clean return is final until the row is deleted and inserted again (or {@code reset(key)}). */
    ON_FAILURE,
    /** Never: each row runs once; its first exit is final until the row is deleted and inserted again (or {@code reset(key)}). */
    NEVER
}
