package dev.supervisor;

/** The supervisor is not launched (not yet, or closing or closed); the message names the state it was in. */
public class NotRunningException extends SupervisorException {
    private static final long serialVersionUID = 1L;

    public NotRunningException(String message) {
        super(message);
    }
}
