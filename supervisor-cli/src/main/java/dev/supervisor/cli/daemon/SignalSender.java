package dev.supervisor.cli.daemon;

import dev.supervisor.cli.Home;
import dev.supervisor.cli.RefusedException;
import dev.supervisor.cli.Signal;
import dev.supervisor.cli.output.ListedProcess;
import dev.supervisor.cli.process.ProcessGroup;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Sends a signal to a row's command and everything of its group, without restarting it: what
 * {@code supervisor signal NAME SIG} and the page's {@code POST /api/processes/NAME/signal} do.
 * The process is the one the status table reports (pid and start time, so a reused pid is never
 * signalled), on this host; its group is its cgroup as the spawn journal of home records it, else
 * its session.
 */
public final class SignalSender {

    private SignalSender() {
    }

    /**
     * Sends signal to row's command; returns what was done, for people: {@code sent SIGHUP to web
     * (pid 4242 and 2 more processes of its group)}.
     *
     * @throws RefusedException if the row has no process, runs on another host, or the signal cannot be sent
     */
    public static String send(Home home, ListedProcess row, Signal signal) {
        if (row.pid().isEmpty() || !row.hasProcess()) {
            throw new RefusedException(row.name() + " has no process to signal (" + row.state() + ")");
        }
        String node = row.node().orElse("");
        String host = node.substring(node.indexOf('@') + 1);
        String here = Daemon.NODE.substring(Daemon.NODE.indexOf('@') + 1);
        if (!host.equals(here)) {
            throw new RefusedException(row.name() + " runs on " + node + ", another host: send the signal there (supervisor "
                    + "signal), or through that daemon's page (POST /api/processes/" + row.name() + "/signal?signal="
                    + signal.name() + ")");
        }
        long pid = row.pid().getAsLong();
        Optional<ProcessGroup> recorded = SpawnJournal.of(home).find(pid).map(SpawnJournal.Entry::group)
                .filter(group -> sameStart(group.leaderStart(), row.processStartedAt()));
        ProcessGroup group = recorded.orElseGet(() -> new ProcessGroup(pid, row.processStartedAt(), Optional.empty()));
        Optional<ProcessHandle> leader = ProcessHandle.of(pid).filter(p -> sameStart(p.info().startInstant(),
                row.processStartedAt()));
        if (leader.isEmpty() && recorded.isEmpty()) {
            throw new RefusedException(row.name() + "'s process " + pid + " is gone (it is being restarted?); try again");
        }
        int signalled;
        try {
            signalled = group.signal(signal);
        } catch (IllegalStateException e) {
            throw new RefusedException("cannot send " + signal + " to " + row.name() + ": " + e.getMessage(), e);
        }
        if (signalled == 0) {
            throw new RefusedException(row.name() + "'s process " + pid + " is gone (it is being restarted?); try again");
        }
        return "sent " + signal + " to " + row.name() + " (pid " + pid
                + (signalled > 1 ? " and " + (signalled - 1) + " more process" + (signalled > 2 ? "es" : "") + " of its group"
                : "") + ")";
    }

    /** Whether two start times are the same process's (the status table keeps ~10 ms). */
    private static boolean sameStart(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return true;
        }
        return Duration.between(a.get().truncatedTo(ChronoUnit.MILLIS), b.get().truncatedTo(ChronoUnit.MILLIS)).abs()
                .compareTo(Duration.ofMillis(50)) <= 0;
    }
}
