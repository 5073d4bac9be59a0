package dev.supervisor;

/** A process for the key already exists (starting, running or stopping). The message names the key. */
public class ProcessExistsException extends SupervisorException {
    private static final long serialVersionUID = 1L;

    private final transient Object key;

    public ProcessExistsException(Object key, String message) {
        super(message);
        this.key = key;
    }

    /** The key this is about. */
    public Object key() {
        return key;
    }
}
