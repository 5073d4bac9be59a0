package dev.supervisor.tests.cli;

import static org.awaitility.Awaitility.await;

import dev.supervisor.testsupport.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import java.util.concurrent.TimeUnit;

/** A {@code supervisor run} started by a test, and what it printed. */
final class RunningDaemon implements AutoCloseable {

    private final Process process;
    private final Path output;

    RunningDaemon(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Everything it printed so far (stdout and stderr). */
    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until what the daemon printed satisfies condition (cheaper than a JVM per {@code list
     * --json}); fails, with the output, if it does not within {@link DaemonScenarioTest#WAIT} or the daemon exits.
     */
    void awaitOutput(String what, Predicate<String> condition) {
        try {
            await(what).atMost(DaemonScenarioTest.WAIT).pollInterval(DaemonScenarioTest.POLL)
                    .until(() -> condition.test(output()) || !isAlive());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("waited for " + what + "; " + this, e);
        }
        if (!condition.test(output())) {
            throw new AssertionError("the daemon exited before " + what + "; " + this);
        }
    }

    /** Every live descendant: the commands it runs and their children. */
    List<ProcessHandle> descendants() {
        return process.descendants().toList();
    }

    /**
     * Sends SIGTERM and waits for the exit.
     *
     * @return the exit code
     */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(Waits.PROCESS.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the daemon did not exit within 60 s of SIGTERM; it printed:\n" + output());
        }
        return process.exitValue();
    }

    /** Kills the daemon alone with SIGKILL, as a crash would, and waits for its end; its children live on. */
    void crash() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(Waits.PROCESS.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the daemon survived SIGKILL for 30 s");
        }
    }

    /**
     * Safety net for failed tests: kills the daemon and everything under it (its cgroup watchdog
     * too, which then leaves the daemon's empty cgroup directories behind; a passing test stops
     * the daemon with {@link #terminate()} or {@link #crash()} instead).
     */
    @Override
    public void close() {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public String toString() {
        return "daemon " + process.pid() + ", output:\n" + output();
    }
}
