package dev.supervisor;

/** The root of the supervisor's unchecked exceptions. */
public class SupervisorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SupervisorException(String message) {
        super(message);
    }

    public SupervisorException(String message, Throwable cause) {
        super(message, cause);
    }
}
