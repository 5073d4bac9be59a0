package dev.supervisor.cli.process;

import dev.supervisor.cli.output.Durations;
import dev.supervisor.cli.output.ShellWords;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a command's attempt failed, worded for the status table and the daemon's output: its
 * {@link #toString()} is the message alone (no class name), such as {@code exited with code 1} or
 * {@code cannot run 'nosuch': No such file or directory}.
 */
public final class CommandFailure extends Exception {

    private static final Map<Integer, String> SIGNALS = Map.of(1, "SIGHUP", 2, "SIGINT", 3, "SIGQUIT", 6, "SIGABRT",
            9, "SIGKILL", 11, "SIGSEGV", 13, "SIGPIPE", 14, "SIGALRM", 15, "SIGTERM");

    private static final Pattern SYSTEM_REASON = Pattern.compile("error: \\d+ \\(([^)]+)\\)|error=\\d+, (.+)$");

    /** The exit kind of an attempt the OOM killer ended. */
    public static final String OOM_KILLED = "oom-killed";
    /** The exit kind of an attempt restarted because its liveness check failed. */
    public static final String UNHEALTHY = "unhealthy";

    private final OptionalInt exitCode;
    private final java.util.Optional<String> kind;

    private CommandFailure(String message, OptionalInt exitCode, Throwable cause) {
        this(message, exitCode, cause, null);
    }

    private CommandFailure(String message, OptionalInt exitCode, Throwable cause, String kind) {
        super(message, cause);
        this.exitCode = exitCode;
        this.kind = java.util.Optional.ofNullable(kind);
    }

    /** The OOM killer ended the attempt (its cgroup counted an OOM kill), which then exited with code. */
    static CommandFailure oomKilled(int code, String limit) {
        return new CommandFailure("killed by the OOM killer (memory limit " + limit + "), " + describeExit(code),
                OptionalInt.of(code), null, OOM_KILLED);
    }

    /** Its liveness check failed too often: the daemon stopped it; it exited with code, if known. */
    static CommandFailure unhealthy(String why, OptionalInt code) {
        return new CommandFailure("unhealthy: " + why + "; stopped it", code, null, UNHEALTHY);
    }

    /** It did not pass its readiness check within timeout. */
    static CommandFailure notReady(Duration timeout, String last) {
        return new CommandFailure("not ready within " + Durations.seconds(timeout) + " (" + last + ")", OptionalInt.empty(), null);
    }

    /** It exited before its readiness check passed. */
    static CommandFailure exitedBeforeReady(int code, String last) {
        return new CommandFailure(describeExit(code) + " before it was ready (" + last + ")", OptionalInt.of(code), null);
    }

    /** Something the attempt needs before it can be spawned is missing (a user, an environment file). */
    static CommandFailure cannotStart(String why) {
        return new CommandFailure(why, OptionalInt.empty(), null);
    }

    /** The daemon's finer kind of this failure ({@link #OOM_KILLED}, {@link #UNHEALTHY}), if it has one. */
    public java.util.Optional<String> kind() {
        return kind;
    }

    /** The process ran, then exited with a non-zero code. */
    public static CommandFailure exited(int code) {
        return new CommandFailure(describeExit(code), OptionalInt.of(code), null);
    }

    /** The process exited (with any code) before it had run for {@code grace}: a failed start. */
    static CommandFailure exitedEarly(int code, Duration grace) {
        return new CommandFailure(describeExit(code) + " within " + Durations.seconds(grace) + " of starting",
                OptionalInt.of(code), null);
    }

    /** The process could not be spawned; the reason is the system's ("No such file or directory"). */
    public static CommandFailure cannotRun(String program, Exception cause) {
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        // Java says: Cannot run program "x" (in directory "d"): error=2, No such file or directory
        //        or: Cannot run program "x" (in directory "d"): Exec failed, error: 2 (No such file or directory)
        Matcher reason = SYSTEM_REASON.matcher(message);
        String why = reason.find() ? (reason.group(1) != null ? reason.group(1) : reason.group(2)) : message;
        return new CommandFailure("cannot run " + ShellWords.quote(program) + ": " + why.strip(), OptionalInt.empty(), cause);
    }

    /** The working directory is missing. */
    static CommandFailure noDirectory(java.nio.file.Path dir) {
        return new CommandFailure("cannot run in " + dir + ": no such directory", OptionalInt.empty(), null);
    }

    /** The command was not allowed to run. */
    static CommandFailure refused(String reason) {
        return new CommandFailure("refused: " + reason, OptionalInt.empty(), null);
    }

    /** The exit code, when the process exited. */
    OptionalInt exitCode() {
        return exitCode;
    }

    /** For {@code SUPERVISOR_PREVIOUS_EXIT}: {@code exit:N}, or for 128 + n, {@code signal:KILL}. */
    static String describeCode(int code) {
        if (code > 128 && code < 160 && SIGNALS.containsKey(code - 128)) {
            return "signal:" + SIGNALS.get(code - 128).substring("SIG".length());
        }
        return "exit:" + code;
    }

    /** {@code exited with code 1}, or for 128 + n, {@code exited with code 137 (SIGKILL)}. */
    public static String describeExit(int code) {
        if (code > 128 && code < 160) {
            String signal = SIGNALS.getOrDefault(code - 128, "signal " + (code - 128));
            return "exited with code " + code + " (" + signal + ")";
        }
        return "exited with code " + code;
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
