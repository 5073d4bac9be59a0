package dev.supervisor.cli.process;

import dev.supervisor.cli.Signal;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every process of one command: its cgroup when it has one (see {@link Cgroups}), else its
 * session. Each command is spawned as the leader of a session of its own ({@code setsid}), so
 * whatever it forks (a shell's background jobs, a daemon that forks and exits) stays in that
 * session, or in its cgroup even after a {@code setsid} of its own. Stopping the command
 * signals the whole group at once: nothing is polled while the command runs, and a child whose
 * parent exited long ago is found as surely as one forked a moment before the stop.
 *
 * <p>A session is found by scanning {@code /proc} for processes whose session id is the
 * leader's pid. Linux never gives a pid to a new process while it still names a session, so
 * the scan cannot hit a stranger; a leader pid that is alive with another start time means the
 * session is over (it was reused afterwards), and then nothing is signalled. A signal goes
 * through {@link ProcessHandle}, which checks the start time, so a pid reused between the scan
 * and the signal is never hit either.
 *
 * <p>Stopping is for one thread at a time.
 */
public final class ProcessGroup {

    /** How long to wait for processes to vanish after SIGKILL before giving up on them. */
    static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 20;
    private static final Path PROC = Path.of("/proc");

    private final long leaderPid;
    private final Optional<Instant> leaderStart;
    private final Optional<Path> cgroup;

    /**
     * @param leaderPid the pid of the process spawned for the command, the leader of its session
     * @param leaderStart its start time, to tell it from a later process with the same pid
     * @param cgroup the command's own cgroup, if it has one
     */
    public ProcessGroup(long leaderPid, Optional<Instant> leaderStart, Optional<Path> cgroup) {
        this.leaderPid = leaderPid;
        this.leaderStart = leaderStart.map(s -> s.truncatedTo(ChronoUnit.MILLIS));
        this.cgroup = cgroup;
    }

    /** The group of a process just spawned. */
    static ProcessGroup of(ProcessHandle leader, Optional<Path> cgroup) {
        return new ProcessGroup(leader.pid(), leader.info().startInstant(), cgroup);
    }

    public long leaderPid() {
        return leaderPid;
    }

    public Optional<Instant> leaderStart() {
        return leaderStart;
    }

    public Optional<Path> cgroup() {
        return cgroup;
    }

    /** Every live (non-zombie) member now: the whole cgroup, or the leader and every process of its session. */
    public List<ProcessHandle> members() {
        if (cgroup.isPresent()) {
            return Cgroups.processes(cgroup.get()).stream().flatMap(pid -> ProcessHandle.of(pid).stream())
                    .filter(ProcessGroup::running).toList();
        }
        Optional<ProcessHandle> holder = ProcessHandle.of(leaderPid);
        if (holder.isPresent() && !isLeader(holder.get())) {
            return List.of(); // the pid was reused: the session ended before
        }
        List<ProcessHandle> members = new ArrayList<>();
        holder.filter(ProcessGroup::running).ifPresent(members::add);
        if (!Files.isDirectory(PROC)) {
            holder.ifPresent(leader -> leader.descendants().filter(ProcessGroup::running).forEach(members::add));
            return members;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                if (pid != leaderPid && session(pid) == leaderPid) {
                    ProcessHandle.of(pid).filter(ProcessGroup::running).ifPresent(members::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            holder.ifPresent(leader -> leader.descendants().filter(ProcessGroup::running).forEach(members::add));
        }
        return members;
    }

    private boolean isLeader(ProcessHandle process) {
        return leaderStart.isEmpty() || process.info().startInstant()
                .map(s -> s.truncatedTo(ChronoUnit.MILLIS).equals(leaderStart.get())).orElse(true);
    }

    /**
     * Stops the whole group: SIGTERM to every member, then SIGKILL to all that is left (forked
     * meanwhile included) after {@code grace}, or at once when the calling thread is interrupted
     * during the grace (a forced stop). Returns once all are gone, or {@link #KILL_WAIT} after the
     * SIGKILL; then removes the cgroup. An interrupt is restored when this returns.
     *
     * @return true if every member is gone
     */
    public boolean terminate(Duration grace) {
        return terminate(Signal.TERM, grace, true);
    }

    /**
     * Like {@link #terminate(Duration)}, asking with stopSignal instead of SIGTERM; with
     * {@code interruptible} false, an interrupt during the grace does not cut it short (it is kept
     * for the caller): the group gets its whole grace.
     */
    public boolean terminate(Signal stopSignal, Duration grace, boolean interruptible) {
        boolean interrupted = Thread.interrupted();
        try {
            List<ProcessHandle> members = members();
            if (!members.isEmpty()) {
                send(stopSignal, members); // the leader first: a shell then cannot fork a replacement
                if (!grace.isZero()) {
                    Gone gone = awaitGone(grace, interruptible);
                    interrupted |= gone.interrupted();
                    if (gone.done()) {
                        cgroup.ifPresent(Cgroups::remove);
                        return true;
                    }
                }
            }
            return kill();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Sends signal to every member now, without waiting for anything.
     *
     * @return how many processes were signalled
     * @throws IllegalStateException if the signal could not be sent (saying why)
     */
    public int signal(Signal signal) {
        List<ProcessHandle> members = members();
        send(signal, members);
        return members.size();
    }

    /** TERM and KILL through the JDK; any other signal through kill(1), one call for all. */
    private static void send(Signal signal, List<ProcessHandle> members) {
        if (members.isEmpty()) {
            return;
        }
        if (signal.equals(Signal.TERM)) {
            members.forEach(ProcessHandle::destroy);
            return;
        }
        if (signal.equals(Signal.KILL)) {
            members.forEach(ProcessHandle::destroyForcibly);
            return;
        }
        List<String> kill = new ArrayList<>(List.of("/bin/sh", "-c", "kill -s \"$0\" \"$@\"", signal.name()));
        members.forEach(p -> kill.add(Long.toString(p.pid())));
        try {
            Process process = new ProcessBuilder(kill).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kill -s " + signal.name() + " did not end within 5 s");
            }
            if (process.exitValue() != 0 && members.stream().anyMatch(ProcessGroup::running)) {
                throw new IllegalStateException("kill -s " + signal.name() + " failed: " + out);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot run kill: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending " + signal, e);
        }
    }

    /** SIGKILL to the whole group at once (cgroup.kill where there is one), then waits like {@link #terminate}. */
    public boolean kill() {
        cgroup.ifPresentOrElse(Cgroups::kill, () -> members().forEach(ProcessHandle::destroyForcibly));
        Gone gone = awaitGone(KILL_WAIT, false);
        if (gone.interrupted()) {
            Thread.currentThread().interrupt();
        }
        if (gone.done()) {
            cgroup.ifPresent(Cgroups::remove);
        }
        return gone.done();
    }

    private record Gone(boolean done, boolean interrupted) {
    }

    /**
     * Waits until no member is alive; an interrupt ends the wait if {@code interruptible}, else it
     * is remembered. The members known are checked every {@link #POLL_MILLIS}; the group is
     * looked up again (a scan of {@code /proc} without a cgroup) only once they are all gone, to
     * find any forked meanwhile.
     */
    private Gone awaitGone(Duration timeout, boolean interruptible) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        List<ProcessHandle> alive = new ArrayList<>(members());
        while (true) {
            alive.removeIf(process -> !running(process));
            if (alive.isEmpty()) {
                alive.addAll(members());
                if (alive.isEmpty()) {
                    return new Gone(true, interrupted);
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                return new Gone(false, interrupted);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                interrupted = true;
                if (interruptible) {
                    return new Gone(false, true);
                }
            }
        }
    }

    /** The session id of pid from {@code /proc/PID/stat}, or -1 if it is gone. */
    private static long session(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 5); // state ppid pgrp session ...
            return Long.parseLong(fields[3]);
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    /**
     * Whether process still runs: alive, and not a zombie (dead, waiting for its parent to collect
     * its exit status; an orphan's new parent may take its time, and in a container it may never
     * do it). Zombies are recognised on Linux; elsewhere this is {@link ProcessHandle#isAlive()}.
     */
    public static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(process.pid())).resolve("stat"));
            int name = stat.lastIndexOf(')'); // "pid (name) state ...": the name may contain anything
            return name < 0 || name + 2 >= stat.length() || stat.charAt(name + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return process.isAlive(); // gone meanwhile, or no /proc
        }
    }

    @Override
    public String toString() {
        return "process group of " + leaderPid + cgroup.map(c -> " (cgroup " + c + ")").orElse("");
    }
}
