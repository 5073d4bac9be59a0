package dev.supervisor.cli.output;

import dev.supervisor.KeyState;
import dev.supervisor.PassReport;
import dev.supervisor.ProcessExit;
import dev.supervisor.ProcessStatus;
import dev.supervisor.SupervisorListener;
import dev.supervisor.cli.process.CommandFailure;
import dev.supervisor.cli.process.LiveProcesses;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The daemon's output for people: one line per event, stamped with the local time.
 *
 * <pre>
 * 12:00:01 web started (pid 4242)
 * 12:00:09 web exited with code 1; restarting in 0.5 s
 * 12:00:30 bad failed to start: cannot run 'nosuch': No such file or directory; restarting in 1.1 s
 * 12:01:00 web stopped
 * 12:01:00 web retired
 * 12:01:05 junk invalid: cannot decode the row for key junk in table supervisor_processes: ...
 * </pre>
 *
 * A listener like any other, so it runs on its own thread and never slows the supervisor.
 * Passwords never reach it: it prints names, pids, exit codes and failure reasons only.
 */
public final class HumanOutput implements SupervisorListener<String> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintWriter out;
    private final Clock clock;
    private final LiveProcesses live;
    private java.util.function.BiFunction<String, ProcessExit, String> givenUp = (key, exit) -> "too many failures";
    /** Rows skipped for an undecodable payload, with the reason last printed; listener thread only. */
    private final Map<String, String> skipped = new HashMap<>();
    /** Keys whose INVALID status was printed; a pass's report of their rows is not printed again. Listener thread only. */
    private final Set<String> invalid = new HashSet<>();
    private boolean tableFailing; // listener thread only

    public HumanOutput(PrintWriter out, Clock clock, LiveProcesses live) {
        this.out = out;
        this.clock = clock;
        this.live = live;
    }

    /**
     * Tells the give-up lines why a key was given up: {@code 4 failed starts in a row}; by default
     * {@code too many failures}.
     */
    public void explainGiveUps(java.util.function.BiFunction<String, ProcessExit, String> why) {
        this.givenUp = why;
    }

    /** Prints one line: the time, then text. */
    public void line(String text) {
        synchronized (out) {
            out.println(LocalTime.now(clock).format(TIME) + " " + text);
            out.flush();
        }
    }

    @Override
    public void statusChanged(ProcessStatus<String> status) {
        String key = status.key();
        if (status.state() != KeyState.INVALID) {
            invalid.remove(key);
        }
        switch (status.state()) {
            case INVALID -> {
                invalid.add(key);
                line(key + " invalid: " + status.invalidReason().orElse("its row cannot be decoded"));
            }
            case RUNNING -> {
                OptionalLong pid = live.pid(key, status.attempt());
                line(key + " started" + (pid.isPresent() ? " (pid " + pid.getAsLong() + ")" : ""));
            }
            case BACKOFF -> status.lastExit().ifPresent(exit -> {
                Duration delay = Duration.between(exit.at(), status.nextAttemptAt().orElseThrow());
                line(key + " " + describe(key, exit) + "; restarting in " + Durations.seconds(delay));
            });
            case GIVEN_UP -> status.lastExit().ifPresent(exit ->
                    line(key + " " + describe(key, exit) + "; given up (GIVEN_UP) after " + givenUp.apply(key, exit)
                            + "; start, restart or an update of the row lifts it"));
            case COMPLETED -> status.lastExit().ifPresent(exit ->
                    line(key + " " + describe(key, exit) + "; not restarting it (its restart mode)"));
            case STOPPED -> status.lastExit()
                    .filter(exit -> exit.kind() == ProcessExit.Kind.STOPPED || exit.kind() == ProcessExit.Kind.CANCELLED)
                    .ifPresent(exit -> line(key + " stopped"));
            case STARTING, STOPPING -> {
                // the next event says how it went
            }
        }
    }

    @Override
    public void retired(ProcessStatus<String> last) {
        invalid.remove(last.key());
        line(last.key() + " retired");
    }

    @Override
    public void passCompleted(PassReport<String> report) {
        Map<String, String> now = new HashMap<>();
        for (PassReport.SkippedRow<String> row : report.skipped()) {
            if (invalid.contains(row.key())) {
                continue; // its INVALID status was printed, with the reason
            }
            String reason = row.error().getCause() != null ? row.error().getCause().getMessage() : row.error().getMessage();
            now.put(row.key(), reason);
            if (!reason.equals(skipped.get(row.key()))) {
                line(row.key() + " skipped: its payload is not a command: " + reason);
            }
        }
        if (report.complete() && !report.incremental()) { // an incremental pass reads only the changed rows
            skipped.keySet().retainAll(now.keySet()); // fixed or removed rows: print them again if they break again
        }
        skipped.putAll(now);
        if (report.failure().isPresent() && !tableFailing) {
            tableFailing = true;
            line("cannot read the table (running processes go on): " + report.failure().get().getMessage());
        } else if (report.complete() && tableFailing) {
            tableFailing = false;
            line("the table is readable again");
        }
    }

    /** How an attempt ended: "exited with code 1", "failed to start: ...". */
    private String describe(String key, ProcessExit exit) {
        return switch (exit.kind()) {
            case SUCCEEDED -> "exited with code 0";
            case FAILED -> exit.error().map(e -> e instanceof CommandFailure ? e.getMessage() : "failed: " + e).orElse("failed");
            case START_FAILED -> "failed to start: " + exit.error().map(e -> e instanceof CommandFailure ? e.getMessage()
                    : String.valueOf(e.getMessage())).orElse("unknown reason");
            case STOPPED, CANCELLED -> live.exitCode(key, exit).stream().mapToObj(CommandFailure::describeExit)
                    .findFirst().orElse("stopped");
        };
    }
}
