package dev.supervisor.cli.process;

import dev.supervisor.ProcessContext;
import dev.supervisor.RestartPolicy;
import dev.supervisor.Runner;
import dev.supervisor.cli.CommandSpec;
import dev.supervisor.cli.daemon.RunnerSettings;
import dev.supervisor.cli.daemon.SpawnJournal;
import dev.supervisor.cli.output.ShellWords;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One row's command as a supervised process: each attempt spawns it as a child process and
 * lives as long as it does.
 *
 * <ol>
 *   <li>Refused at once (a failed start) when the {@code --allow} list does not admit the program.
 *   <li>Spawned bound to the daemon, in a group of its own ({@link CommandLauncher}), with the
 *       row's directory and environment ({@link ChildEnvironment}), stdin from {@code /dev/null},
 *       stdout and stderr into {@code HOME/logs/NAME.log} ({@link RotatingLog}), and recorded in
 *       the {@link SpawnJournal} at once. A spawn error (no such file, no permission) is a failed
 *       start with that reason.
 *   <li>Ready once it has stayed alive for {@link RunnerSettings#START_GRACE}; an exit before that
 *       is a failed start.
 *   <li>Then it runs until it exits (code 0: the attempt succeeded; else it failed with the code)
 *       or a stop is asked for: SIGTERM to its whole group, SIGKILL after the stop timeout, or at
 *       once when the supervisor interrupts the stop (a forced stop, such as a lost lease's)
 *       ({@link ProcessGroup}).
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

    public OsProcessRunner(String name, CommandSpec spec, RunnerSettings settings) {
        this.name = name;
        this.spec = spec;
        this.settings = settings;
        this.refusal = settings.allowList().refusal(spec);
    }

    /**
     * The row's restart mode with the default backoff; a refused command gives up after its
     * second refusal, since it would be refused forever.
     */
    public RestartPolicy restartPolicy() {
        RestartPolicy policy = RestartPolicy.of(spec.restart());
        return refusal.isPresent() ? policy.withGiveUp(1, Duration.ofDays(1)) : policy;
    }

    @Override
    public void run(ProcessContext context) throws Exception {
        if (refusal.isPresent()) {
            throw CommandFailure.refused(refusal.get());
        }
        RotatingLog log = RotatingLog.open(settings.home().logFile(name), settings.logMaxBytes(), settings.logFilesKept());
        CommandLauncher.Launched launched;
        try {
            checkRunnable();
            launched = settings.launcher().launch(name, context.attempt(), spec,
                    AttemptEnvironment.of(name, context, settings.cluster()));
        } catch (CommandFailure | InterruptedException | RuntimeException e) {
            log.close();
            throw e;
        }
        Process process = launched.process();
        LogPump pump = LogPump.start(name, process.getInputStream(), log);
        settings.live().spawned(name, context.attempt(), process.toHandle());
        try {
            Optional<Integer> early = exitWithin(process, RunnerSettings.START_GRACE);
            if (early.isPresent()) {
                throw CommandFailure.exitedEarly(early.get(), RunnerSettings.START_GRACE);
            }
            context.ready();
            Optional<Integer> code = runUntilExitOrStop(context, process);
            if (code.isPresent() && code.get() != 0) {
                throw CommandFailure.exited(code.get());
            }
        } finally {
            // on a stop, the graceful path; after an exit, what the command left running
            if (launched.group().terminate(settings.stopTimeout())) {
                settings.launcher().journal().forget(launched.entry());
            }
            pump.finish(DRAIN);
            if (!process.isAlive()) {
                settings.live().exited(name, context.attempt(), process.exitValue());
            }
        }
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

    /** The exit code once the process exits on its own, or empty once a stop was asked for. */
    private static Optional<Integer> runUntilExitOrStop(ProcessContext context, Process process) throws InterruptedException {
        CompletableFuture<Void> stop = new CompletableFuture<>();
        Thread watcher = Thread.ofVirtual().name("supervisor-stop-" + context.key()).start(() -> {
            try {
                context.awaitStop();
                stop.complete(null);
            } catch (InterruptedException done) {
                // the process ended first
            }
        });
        try {
            CompletableFuture.anyOf(process.onExit(), stop).get();
            return stop.isDone() ? Optional.empty() : Optional.of(process.exitValue());
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for " + name(process) + " failed", e);
        } finally {
            watcher.interrupt();
        }
    }

    private static String name(Process process) {
        return "process " + process.pid();
    }

    @Override
    public String toString() {
        return "OsProcessRunner[" + name + ": " + ShellWords.join(spec.argv()) + "]";
    }
}
