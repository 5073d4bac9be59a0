package dev.supervisor.cli.process;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a process's output (stdout and stderr merged) into its {@link RotatingLog} on a thread
 * of its own, until the output ends: when the process and every descendant holding the pipe are
 * gone. A platform thread: a blocking pipe read would hold a virtual thread's carrier anyway.
 */
final class LogPump {

    private static final Logger LOG = LoggerFactory.getLogger(LogPump.class);

    private final InputStream output;
    private final Thread thread;

    private LogPump(String name, InputStream output, RotatingLog log) {
        this.output = output;
        this.thread = Thread.ofPlatform().daemon().stackSize(256 * 1024).name("supervisor-log-" + name).start(() -> copy(name, output, log));
    }

    /** Starts copying output into log; the pump closes both when the output ends. */
    static LogPump start(String name, InputStream output, RotatingLog log) {
        return new LogPump(name, output, log);
    }

    private static void copy(String name, InputStream output, RotatingLog log) {
        byte[] buffer = new byte[8192];
        try (output; log) {
            int n;
            while ((n = output.read(buffer)) >= 0) {
                log.write(buffer, 0, n);
            }
        } catch (IOException e) {
            LOG.debug("Output of {} ended: {}", name, e.toString());
        }
    }

    /**
     * Waits at most {@code wait} for the output to end; if it has not (a process that escaped
     * the tree still holds the pipe), closes it, so the pump stops.
     */
    void finish(Duration wait) {
        boolean interrupted = false;
        try {
            if (thread.join(wait)) {
                return;
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        try {
            output.close();
        } catch (IOException e) {
            LOG.debug("Closing the output pipe failed", e);
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
