package dev.supervisor.cli;

/**
 * A command was refused for a reason the user can act on (a name that exists already, an
 * unknown name, an unreachable database): the CLI prints the message as one line and exits 1.
 */
public final class RefusedException extends RuntimeException {

    public RefusedException(String message) {
        super(message);
    }

    public RefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
