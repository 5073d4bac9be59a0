package dev.supervisor.cli.process;

import dev.supervisor.cli.CommandSpec;
import dev.supervisor.cli.Home;
import dev.supervisor.cli.daemon.SpawnJournal;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Spawns commands bound to the daemon, with what the system offers (each part is used where its
 * program or file exists, and left out elsewhere):
 *
 * <ul>
 *   <li>{@code setpriv --pdeathsig KILL} (util-linux): the kernel kills the command when the
 *       daemon dies, even by SIGKILL (a shell step then checks that the daemon did not die
 *       before the signal was armed). The signal fires when the <em>thread</em> that forked
 *       ends, so every spawn runs on one platform thread that lives as long as this launcher
 *       (never on a virtual thread's carrier, which the JDK may retire when idle).
 *   <li>a cgroup v2 per attempt ({@link Cgroups}), joined before the command is executed, so
 *       nothing it forks can leave it; and a watchdog, a shell reading a pipe from the daemon,
 *       that kills every command's cgroup ({@code cgroup.kill} of the daemon's cgroup
 *       directory) when the pipe closes: when the daemon dies, however it dies, whatever its
 *       commands forked dies with it;
 *   <li>{@code setsid}: the command leads a session of its own, which its children inherit
 *       ({@link ProcessGroup}).
 * </ul>
 * Every part execs the next, so the pid the daemon sees is the command's own. The spawned
 * group is recorded in the {@link SpawnJournal} before the command is executed (a shell step
 * waits for the daemon's word), so none ever runs unrecorded. Thread-safe.
 */
public final class CommandLauncher implements AutoCloseable {

    /** Exit code of the launcher chain when the daemon died before the command was bound and recorded, or it could not join its cgroup. */
    static final int NOT_BOUND = 125;
    /**
     * The chain's shell step, {@code $0} the daemon's pid, {@code $1} how many cgroups follow,
     * then the cgroups, then the command. After {@code setpriv} armed the parent-death signal, it
     * checks that its parent is still the daemon (one that died before the signal was armed would
     * never send it), joins the cgroups (its v2 cgroup, and the v1 cgroups of its limits), then
     * waits for the daemon's {@code go} on stdin, written once the spawn is in the journal: so no
     * command runs unrecorded, whenever the daemon dies. Then it executes the command with stdin
     * from {@code /dev/null}.
     */
    private static final String BIND = "[ \"$PPID\" = \"$0\" ] || exit " + NOT_BOUND + "; n=$1; shift; "
            + "while [ \"$n\" -gt 0 ]; do echo $$ > \"$1/cgroup.procs\" || exit " + NOT_BOUND + "; shift; n=$((n-1)); done; "
            + "read -r go && [ \"$go\" = go ] || exit " + NOT_BOUND + "; exec \"$@\" < /dev/null";

    private final Optional<Path> setpriv;
    private final Optional<Path> setsid;
    private final Optional<Cgroups> cgroups;
    private final CgroupLimits limits;
    private final SpawnJournal journal;
    private final ChildEnvironment environment;
    private final Optional<Process> watchdog;
    private final ExecutorService spawner = Executors.newSingleThreadExecutor(
            task -> Thread.ofPlatform().daemon().name("supervisor-spawner").unstarted(task));

    CommandLauncher(Optional<Path> setpriv, Optional<Path> setsid, Optional<Cgroups> cgroups, CgroupLimits limits,
            SpawnJournal journal, ChildEnvironment environment) {
        this.setpriv = setpriv;
        this.setsid = setsid;
        this.cgroups = cgroups;
        this.limits = limits;
        this.journal = journal;
        this.environment = environment;
        this.watchdog = cgroups.flatMap(c -> startWatchdog(c, setsid));
    }

    /**
     * The watchdog's script, {@code $0} the daemon's cgroup directory: waits for the end of its
     * stdin (the daemon's end), kills every cgroup in the directory, then removes them (for up to 5 s).
     */
    private static final String WATCH = "while read -r _; do :; done; echo 1 > \"$0/cgroup.kill\"; i=0; "
            + "while [ $i -lt 50 ]; do rmdir \"$0\"/*/ 2>/dev/null; rmdir \"$0\" 2>/dev/null && break; i=$((i+1)); sleep 0.1; done";

    /** The watchdog of the daemon's cgroups, in a session of its own (so a terminal's Ctrl-C does not end it early). */
    private static Optional<Process> startWatchdog(Cgroups cgroups, Optional<Path> setsid) {
        List<String> argv = new ArrayList<>();
        setsid.ifPresent(p -> argv.addAll(List.of(p.toString(), "--")));
        argv.addAll(List.of("/bin/sh", "-c", WATCH, cgroups.base().toString()));
        try {
            return Optional.of(new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectErrorStream(true).start());
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(CommandLauncher.class).warn(
                    "Cannot start the cgroup watchdog: {}; a daemon killed with SIGKILL leaves what its commands forked "
                            + "running until the next daemon starts", e.toString());
            return Optional.empty();
        }
    }

    /** A launcher with every mechanism this system offers, for the daemon of home. */
    public static CommandLauncher detect(Home home, ChildEnvironment environment) {
        Optional<Cgroups> cgroups = Cgroups.forHome(home);
        return new CommandLauncher(program("setpriv"), program("setsid"), cgroups, CgroupLimits.detect(home, cgroups),
                SpawnJournal.of(home), environment);
    }

    private static final byte[] GO = "go\n".getBytes(StandardCharsets.US_ASCII);

    private static Optional<Path> program(String name) {
        return List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin").stream().map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable).findFirst();
    }

    public SpawnJournal journal() {
        return journal;
    }

    public Optional<Cgroups> cgroups() {
        return cgroups;
    }

    /** Which limits apply to the commands here, and how. */
    public CgroupLimits limits() {
        return limits;
    }

    /** One line for the daemon's start: how commands are bound to it here. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        parts.add(setsid.isPresent() ? "each command leads a session of its own" : "no setsid: commands share the daemon's session");
        parts.add(setpriv.isPresent() ? "dies with the daemon (setpriv --pdeathsig KILL)" : "no setpriv: commands outlive a killed daemon until the next one starts");
        parts.add(cgroups.map(c -> "runs in a cgroup under " + c.base()
                + (watchdog.isPresent() ? ", killed whole if the daemon dies" : "")).orElse("no cgroup v2 may be created"));
        return String.join("; ", parts);
    }

    /** A spawned command: its process and its group, recorded in the journal, and its limit cgroups. */
    record Launched(Process process, SpawnJournal.Entry entry, CgroupLimits.Attempt limits) {
        ProcessGroup group() {
            return entry.group();
        }
    }

    /**
     * Spawns attempt {@code attempt} of the command {@code name} with its limits, as user when
     * given: stdout and stderr into one pipe ({@link Process#getInputStream()}), or two with
     * {@code "stderr": "separate"}; and records it in the journal.
     *
     * @throws CommandFailure if it cannot be spawned or recorded, or its limits cannot be applied, saying why
     */
    Launched launch(String name, int attempt, CommandSpec spec, Map<String, String> extraEnv, Optional<Users.User> user)
            throws CommandFailure, InterruptedException {
        if (user.isPresent() && setpriv.isEmpty()) {
            throw CommandFailure.cannotRun(spec.program(), new IOException("cannot run as user " + user.get().name()
                    + ": setpriv (util-linux) is missing"));
        }
        Optional<Path> cgroup = Optional.empty();
        if (cgroups.isPresent()) {
            try {
                cgroup = Optional.of(cgroups.get().create(name, attempt));
            } catch (IOException e) {
                throw CommandFailure.cannotRun(spec.program(), new IOException("cannot create its cgroup: " + e.getMessage(), e));
            }
        }
        CgroupLimits.Attempt attemptLimits;
        try {
            attemptLimits = limits.apply(name, attempt, spec.settings(), cgroup);
        } catch (IOException e) {
            cgroup.ifPresent(Cgroups::remove);
            throw CommandFailure.cannotRun(spec.program(), new IOException("cannot apply its limits: " + e.getMessage(), e));
        }
        List<Path> joined = new ArrayList<>();
        cgroup.ifPresent(joined::add);
        joined.addAll(attemptLimits.v1Dirs());
        ProcessBuilder builder = new ProcessBuilder(argv(spec, joined, user))
                .redirectErrorStream(!spec.settings().stderrSeparate()); // stdin: the go pipe
        spec.dir().ifPresent(dir -> builder.directory(dir.toFile()));
        Map<String, String> attemptEnv = new java.util.LinkedHashMap<>();
        user.ifPresent(u -> {
            attemptEnv.put("HOME", u.home());
            attemptEnv.put("USER", u.name());
            attemptEnv.put("LOGNAME", u.name());
            attemptEnv.put("SHELL", u.shell());
        });
        attemptEnv.keySet().removeAll(spec.env().keySet());
        attemptEnv.putAll(extraEnv);
        environment.applyTo(builder.environment(), spec.env(), attemptEnv);
        Process process;
        try {
            process = spawn(builder, spec, cgroup);
        } catch (CommandFailure | InterruptedException | RuntimeException e) {
            attemptLimits.remove();
            throw e;
        }
        ProcessGroup group = ProcessGroup.of(process.toHandle(), cgroup);
        SpawnJournal.Entry entry;
        try {
            entry = journal.record(name, attempt, group);
        } catch (RuntimeException e) {
            group.kill();
            attemptLimits.remove();
            throw CommandFailure.cannotRun(spec.program(), e);
        }
        try (OutputStream go = process.getOutputStream()) {
            go.write(GO);
        } catch (IOException exitedAlready) {
            // it ended before its go (it could not join its cgroup): its exit says so
        }
        return new Launched(process, entry, attemptLimits);
    }

    private Process spawn(ProcessBuilder builder, CommandSpec spec, Optional<Path> cgroup)
            throws CommandFailure, InterruptedException {
        Future<Process> spawned = spawner.submit(builder::start);
        try {
            return spawned.get();
        } catch (ExecutionException e) {
            cgroup.ifPresent(Cgroups::remove);
            throw CommandFailure.cannotRun(spec.program(), e.getCause() instanceof Exception cause ? cause : e);
        } catch (InterruptedException e) {
            try {
                Process process = spawned.get(); // spawning is quick and not interruptible: do not lose the process
                ProcessGroup.of(process.toHandle(), cgroup).kill();
            } catch (ExecutionException failed) {
                cgroup.ifPresent(Cgroups::remove);
            }
            throw e;
        }
    }

    /** The launcher chain, then the command. */
    private List<String> argv(CommandSpec spec, List<Path> cgroups, Optional<Users.User> user) {
        List<String> argv = new ArrayList<>();
        setpriv.ifPresent(p -> argv.addAll(List.of(p.toString(), "--pdeathsig", "KILL", "--")));
        argv.addAll(List.of("/bin/sh", "-c", BIND, Long.toString(ProcessHandle.current().pid()),
                Integer.toString(cgroups.size())));
        cgroups.forEach(c -> argv.add(c.toString()));
        // dropping root clears the parent-death signal: setpriv arms it again once it is the user
        user.ifPresent(u -> argv.addAll(List.of(setpriv.orElseThrow().toString(), "--reuid", u.name(),
                "--regid", Long.toString(u.gid()), "--init-groups", "--pdeathsig", "KILL", "--")));
        setsid.ifPresent(p -> argv.addAll(List.of(p.toString(), "--")));
        argv.addAll(spec.argv());
        return argv;
    }

    /** Stops the spawner thread: only once every command has ended (its end would kill them all). */
    @Override
    public void close() {
        watchdog.ifPresent(Process::destroy);
        spawner.shutdownNow();
        cgroups.ifPresent(Cgroups::removeBase);
        limits.removeBases();
    }
}
