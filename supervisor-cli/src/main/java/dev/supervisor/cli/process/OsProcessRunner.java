package dev.supervisor.cli.process;

import dev.supervisor.ProcessContext;
import dev.supervisor.RestartPolicy;
import dev.supervisor.Runner;
import dev.supervisor.cli.CheckSpec;
import dev.supervisor.cli.CommandSpec;
import dev.supervisor.cli.PayloadFields;
import dev.supervisor.cli.RowSettings;
import dev.supervisor.cli.Signal;
import dev.supervisor.cli.daemon.RunnerSettings;
import dev.supervisor.cli.daemon.SpawnJournal;
import dev.supervisor.cli.health.HealthChecks;
import dev.supervisor.cli.health.NotifySocket;
import dev.supervisor.cli.output.ShellWords;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One row's command as a supervised process: each attempt spawns it as a child process and
 * lives as long as it does.
 *
 * <ol>
 *   <li>Refused at once (a failed start) when the {@code --allow} list does not admit the program,
 *       and when what it needs is missing: its directory, its program, its user (or root for the
 *       daemon, to run as another user), its environment file.
 *   <li>Spawned bound to the daemon, in a group of its own ({@link CommandLauncher}), within its
 *       limits ({@link CgroupLimits}), with the row's directory and environment
 *       ({@link ChildEnvironment}), stdin from {@code /dev/null}, stdout and stderr into
 *       {@code HOME/logs/NAME.log} (stderr into {@code NAME.err.log} when separate;
 *       {@link RotatingLog}), and recorded in the {@link SpawnJournal} at once. A spawn error (no
 *       such file, no permission) is a failed start with that reason.
 *   <li>Ready once it has stayed alive for its start grace (1 s by default) and passed its
 *       readiness check, if it has one, within the check's timeout; an exit before that, or no
 *       readiness in time, is a failed start.
 *   <li>Then it runs, its liveness check probed if it has one, until it exits (a code of
 *       {@code successExitCodes}: the attempt succeeded; else it failed, as {@code oom-killed}
 *       when its memory cgroup counted an OOM kill), fails its liveness check too often (it is
 *       stopped, exit kind {@code unhealthy}), or a stop is asked for: its stop signal (SIGTERM by
 *       default) to its whole group, SIGKILL after its stop timeout, or at once when the
 *       supervisor interrupts the stop (a forced stop, such as a lost lease's) ({@link ProcessGroup}).
 * </ol>
 * Whichever way it ends, nothing of its group is left behind, and then its journal entry is deleted.
 * The supervisor calls {@link #run} once per attempt, on the attempt's own thread.
 */
public final class OsProcessRunner implements Runner {

    /** How long the log pump may take to drain after the process ended. */
    private static final Duration DRAIN = Duration.ofSeconds(2);

    private final String name;
    private final CommandSpec spec;
    private final RunnerSettings settings;
    private final Optional<String> refusal;
    /** Whether the latest attempt became ready: its failure, if any, was not a failed start. */
    private volatile boolean lastAttemptReady;

    public OsProcessRunner(String name, CommandSpec spec, RunnerSettings settings) {
        this.name = name;
        this.spec = spec;
        this.settings = settings;
        this.refusal = settings.allowList().refusal(spec);
    }

    public CommandSpec spec() {
        return spec;
    }

    /**
     * The row's restart mode with the default backoff; give-up after {@code startRetries + 1}
     * failed starts in a row (a failure before ready: an exit within the start grace, a program
     * that cannot be run, not ready in time), and after more than {@code giveUpAfter} failures
     * within {@code giveUpWindow} when set. A refused command gives up after its second refusal.
     *
     * <p>The library's startup budget counts failures within a grace of their start; the grace
     * given here makes it count exactly the failed starts: the whole day when the attempt that
     * just ended never became ready, a nanosecond when it did (which starts the count again).
     */
    public RestartPolicy restartPolicy() {
        RowSettings s = spec.settings();
        RestartPolicy policy = RestartPolicy.of(spec.restart())
                .withStartupBudget(s.startRetries() + 1, lastAttemptReady ? Duration.ofNanos(1) : Duration.ofDays(1));
        if (s.giveUpAfter() > 0) {
            policy = policy.withGiveUp(s.giveUpAfter(), s.giveUpWindow());
        }
        return refusal.isPresent() ? policy.withGiveUp(1, Duration.ofDays(1)) : policy;
    }

    @Override
    public void run(ProcessContext context) throws Exception {
        lastAttemptReady = false;
        settings.live().starting(name, spec);
        if (refusal.isPresent()) {
            throw CommandFailure.refused(refusal.get());
        }
        RowSettings s = spec.settings();
        Optional<Users.User> user = user();
        Map<String, String> extraEnv = new LinkedHashMap<>();
        if (s.envFile().isPresent()) {
            Map<String, String> fromFile = EnvFile.read(s.envFile().get());
            fromFile.keySet().removeAll(spec.env().keySet()); // the row's own env wins
            extraEnv.putAll(fromFile);
        }
        extraEnv.putAll(AttemptEnvironment.of(name, context, settings.cluster()));
        Optional<NotifySocket> notify = Optional.empty();
        if (s.ready().map(r -> r.kind() == CheckSpec.Kind.NOTIFY).orElse(false)) {
            try {
                notify = Optional.of(NotifySocket.open(notifyDirectory()));
            } catch (IOException e) {
                throw CommandFailure.cannotStart("cannot open its notify socket: " + e.getMessage());
            }
            extraEnv.put("NOTIFY_SOCKET", notify.get().path());
        }
        long logBytes = s.logSize().orElse(settings.logMaxBytes());
        int logFiles = s.logFiles().orElse(settings.logFilesKept());
        RotatingLog log = RotatingLog.open(settings.home().logFile(name), logBytes, logFiles);
        RotatingLog errors = null;
        CommandLauncher.Launched launched;
        try {
            checkRunnable();
            if (s.stderrSeparate()) {
                errors = RotatingLog.open(settings.home().errorLogFile(name), logBytes, logFiles);
            }
            launched = settings.launcher().launch(name, context.attempt(), spec, extraEnv, user);
        } catch (CommandFailure | InterruptedException | RuntimeException e) {
            log.close();
            if (errors != null) {
                errors.close();
            }
            notify.ifPresent(NotifySocket::close);
            throw e;
        }
        Process process = launched.process();
        LogPump pump = LogPump.start(name, process.getInputStream(), log);
        LogPump errorPump = errors == null ? null : LogPump.start(name, process.getErrorStream(), errors);
        settings.live().spawned(name, context.attempt(), process.toHandle());
        Signal stopSignal = s.stopSignal().orElse(Signal.TERM);
        Duration stopTimeout = s.stopTimeout().orElse(settings.stopTimeout());
        HealthChecks.CommandContext checkContext = new HealthChecks.CommandContext(spec.dir(), spec.env(), notify);
        HealthChecks.Watch liveness = null;
        try {
            Optional<Integer> early = exitWithin(process, s.startGrace());
            if (early.isPresent()) {
                throw failure(launched, early.get(), CommandFailure.exitedEarly(early.get(), s.startGrace()));
            }
            if (s.ready().isPresent() && !awaitReady(context, launched, s.ready().get(), checkContext)) {
                return; // a stop was asked for while it was starting
            }
            lastAttemptReady = true;
            context.ready();
            if (s.health().isPresent()) {
                liveness = settings.checks().liveness(s.health().get(), checkContext, r -> settings.live().health(name,
                        r.toString()));
            }
            Ended ended = runUntilEnd(context, process, liveness);
            if (ended.unhealthy().isPresent()) {
                launched.group().terminate(stopSignal, stopTimeout, settings.cluster());
                OptionalInt code = process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
                throw CommandFailure.unhealthy(s.health().get().failures() + " failed health checks in a row, the last: "
                        + ended.unhealthy().get().text(), code);
            }
            if (ended.code().isPresent() && !s.successExitCodes().contains(ended.code().get())) {
                throw failure(launched, ended.code().get(), CommandFailure.exited(ended.code().get()));
            }
        } finally {
            notify.ifPresent(NotifySocket::close);
            if (liveness != null) {
                liveness.cancel();
            }
            // on a stop, the graceful path; after an exit, what the command left running. The row's stop
            // timeout may be longer than the supervisor's: only a forced stop of cluster mode (a lost
            // lease) cuts it short; otherwise the supervisor's interrupt waits for it
            if (launched.group().terminate(stopSignal, stopTimeout, settings.cluster())) {
                settings.launcher().journal().forget(launched.entry());
            }
            launched.limits().remove();
            pump.finish(DRAIN);
            if (errorPump != null) {
                errorPump.finish(DRAIN);
            }
            if (!process.isAlive()) {
                settings.live().exited(name, context.attempt(), process.exitValue());
            }
        }
    }

    /**
     * Where the attempts' notify sockets are: {@code HOME/notify}, or a directory of the home's in
     * the system's temporary directory when that path would be too long for a Unix socket.
     */
    private java.nio.file.Path notifyDirectory() {
        java.nio.file.Path dir = settings.home().dir().toAbsolutePath().resolve("notify");
        if (dir.toString().length() <= 80) {
            return dir;
        }
        int hash = dir.toString().hashCode();
        return java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "supervisor-notify-"
                + java.util.HexFormat.of().toHexDigits(hash));
    }

    /** The failure of an exit with code: {@code oom-killed} when the OOM killer ended a process of the attempt. */
    private CommandFailure failure(CommandLauncher.Launched launched, int code, CommandFailure otherwise) {
        if (launched.limits().oomKills() > 0) {
            return CommandFailure.oomKilled(code, PayloadFields.sizeText(spec.settings().memoryMax().orElse(0)));
        }
        return otherwise;
    }

    /** The row's user, checked: it exists, and the daemon is root. */
    private Optional<Users.User> user() throws CommandFailure {
        Optional<String> wanted = spec.settings().user();
        if (wanted.isEmpty()) {
            return Optional.empty();
        }
        if (!Users.daemonIsRoot()) {
            throw CommandFailure.cannotStart("cannot run as user " + wanted.get() + ": the daemon runs as "
                    + System.getProperty("user.name") + ", and only a daemon run as root may run commands as another user");
        }
        return Optional.of(Users.find(wanted.get()).orElseThrow(() -> CommandFailure.cannotStart("cannot run as user "
                + PayloadFields.shown(wanted.get()) + ": no such user on this host")));
    }

    /**
     * Probes the readiness check until it passes (true), the process exits, the check's timeout
     * passes (both a failed start), or a stop is asked for (false).
     */
    private boolean awaitReady(ProcessContext context, CommandLauncher.Launched launched, CheckSpec check,
            HealthChecks.CommandContext checkContext) throws Exception {
        Process process = launched.process();
        String[] last = {"not checked yet"};
        HealthChecks.Watch watch = settings.checks().ready(check, checkContext, r -> {
            last[0] = r.text();
            settings.live().health(name, r.ok() ? "ready: " + r.text() : "starting: " + r);
        });
        CompletableFuture<Void> stop = stopAsked(context);
        try {
            CompletableFuture.anyOf(watch.done(), process.onExit(), stop).get(check.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException notReady) {
            throw CommandFailure.notReady(check.timeout(), check.describe() + ": " + last[0]);
        } finally {
            watch.cancel();
            stop.cancel(true);
        }
        if (watch.done().isDone()) {
            return true;
        }
        if (!process.isAlive()) {
            int code = process.exitValue();
            throw failure(launched, code, CommandFailure.exitedBeforeReady(code, last[0]));
        }
        return false;
    }

    /** Refuses what cannot run before anything is spawned, with the system's reason. */
    private void checkRunnable() throws CommandFailure {
        if (spec.dir().isPresent() && !Files.isDirectory(spec.dir().get())) {
            throw CommandFailure.noDirectory(spec.dir().get());
        }
        if (spec.env().containsKey("PATH")) {
            return; // resolved through the row's own PATH when executed
        }
        Optional<java.nio.file.Path> program = settings.allowList().resolve(spec);
        if (program.isEmpty() || !Files.exists(program.get())) {
            throw CommandFailure.cannotRun(spec.program(), new IOException("error=2, No such file or directory"));
        }
        if (!Files.isExecutable(program.get()) || Files.isDirectory(program.get())) {
            throw CommandFailure.cannotRun(spec.program(), new IOException("error=13, Permission denied"));
        }
    }

    /** The exit code if the process exits within timeout, else empty. */
    private static Optional<Integer> exitWithin(Process process, Duration timeout) throws InterruptedException {
        try {
            return Optional.of(process.onExit().get(timeout.toNanos(), TimeUnit.NANOSECONDS).exitValue());
        } catch (TimeoutException stillRunning) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for the exit of " + name(process) + " failed", e);
        }
    }

    /** How the running attempt ended: an exit code, a stop (neither), or its liveness check's last failure. */
    private record Ended(Optional<Integer> code, Optional<HealthChecks.Result> unhealthy) {
    }

    private static Ended runUntilEnd(ProcessContext context, Process process, HealthChecks.Watch liveness)
            throws InterruptedException {
        CompletableFuture<Void> stop = stopAsked(context);
        CompletableFuture<HealthChecks.Result> unhealthy = liveness == null ? new CompletableFuture<>() : liveness.done();
        try {
            CompletableFuture.anyOf(process.onExit(), stop, unhealthy).get();
            if (stop.isDone()) {
                return new Ended(Optional.empty(), Optional.empty());
            }
            if (!process.isAlive()) {
                return new Ended(Optional.of(process.exitValue()), Optional.empty());
            }
            return new Ended(Optional.empty(), Optional.of(unhealthy.join()));
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for " + name(process) + " failed", e);
        } finally {
            stop.cancel(true);
        }
    }

    /** Completes once a graceful stop is asked for; cancelling it ends its watcher. */
    private static CompletableFuture<Void> stopAsked(ProcessContext context) {
        CompletableFuture<Void> stop = new CompletableFuture<>();
        Thread watcher = Thread.ofVirtual().name("supervisor-stop-" + context.key()).start(() -> {
            try {
                context.awaitStop();
                stop.complete(null);
            } catch (InterruptedException done) {
                // the process ended first
            }
        });
        stop.whenComplete((ignored, cancelled) -> watcher.interrupt());
        return stop;
    }

    private static String name(Process process) {
        return "process " + process.pid();
    }

    @Override
    public String toString() {
        return "OsProcessRunner[" + name + ": " + ShellWords.join(spec.argv()) + "]";
    }
}
