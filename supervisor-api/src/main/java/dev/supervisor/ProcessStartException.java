package dev.supervisor;

/**
 * A process failed to start: its runner returned or threw before {@code ready()}, the start
 * timeout passed, or it was stopped while starting. The cause, when there is one, is the
 * runner's exception. The message names the key.
 */
public class ProcessStartException extends SupervisorException {
    private static final long serialVersionUID = 1L;

    private final transient Object key;

    public ProcessStartException(Object key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /** The key this is about. */
    public Object key() {
        return key;
    }
}
