package dev.supervisor.cli.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the status server reads of the daemon, in the command line's own terms: the rows as
 * {@code list --json} and {@code status --json} print them, the commands' logs, the CLI's JSON
 * writer and its secret masking. Implementations are thread-safe; each call may read the database,
 * and the reads throw {@link dev.supervisor.TableException} when it cannot be reached or fails (the
 * server answers 503), with a message already masked.
 */
public interface DaemonView {

    /** Every row, as the objects of {@code list --json}. */
    List<Map<String, Object>> rows();

    /** The row named {@code name}, as {@code status NAME --json} prints it, or empty if there is none. */
    Optional<Map<String, Object>> row(String name);

    /**
     * The last {@code lines} lines of the command's captured output, or empty when there is neither
     * a row nor a log by that name.
     */
    Optional<String> logTail(String name, int lines);

    /**
     * Sends signal (a name such as {@code HUP}, or a number) to the command of the row named name
     * and its group, without restarting it; returns what was done, for people.
     *
     * @throws java.util.NoSuchElementException if there is no such row
     * @throws IllegalArgumentException if signal names no signal (the message says which are valid)
     * @throws IllegalStateException if it cannot be sent (no process, another host), saying why
     */
    String signal(String name, String signal);

    /** The value as JSON, written as the command line writes it. */
    String json(Object value);

    /** The text with every secret the daemon knows (the database password, URL credentials) masked. */
    String mask(String text);
}
