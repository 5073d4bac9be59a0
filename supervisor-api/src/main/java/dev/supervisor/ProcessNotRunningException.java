package dev.supervisor;

/** A process for the key exists but is not RUNNING (still starting, or stopping). The message names the key. */
public class ProcessNotRunningException extends SupervisorException {
    private static final long serialVersionUID = 1L;

    private final transient Object key;

    public ProcessNotRunningException(Object key, String message) {
        super(message);
        this.key = key;
    }

    /** The key this is about. */
    public Object key() {
        return key;
    }
}
