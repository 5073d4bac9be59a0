package dev.supervisor;

/** No process (or, for start, no row) exists for the key. The message names the key. */
public class ProcessNotFoundException extends SupervisorException {
    private static final long serialVersionUID = 1L;

    private final transient Object key;

    public ProcessNotFoundException(Object key, String message) {
        super(message);
        this.key = key;
    }

    /** The key this is about. */
    public Object key() {
        return key;
    }
}
