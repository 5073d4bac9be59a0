package dev.supervisor.cli.daemon;

import dev.supervisor.cli.Home;
import dev.supervisor.cli.health.HealthChecks;
import dev.supervisor.cli.process.CommandLauncher;
import dev.supervisor.cli.process.ExecutableAllowList;
import dev.supervisor.cli.process.LiveProcesses;
import dev.supervisor.cli.process.OsProcessRunner;
import java.time.Duration;
import java.util.Objects;

/**
 * What every {@link OsProcessRunner} of one daemon shares.
 *
 * @param home where the logs go
 * @param allowList which executables may run
 * @param stopTimeout how long a process has between SIGTERM and SIGKILL
 * @param logMaxBytes the cap of one log file before it rotates
 * @param logFilesKept how many rotated log files are kept
 * @param live where runners record their processes
 * @param launcher what spawns the commands, bound to the daemon
 * @param cluster whether the daemon shares the rows with others ({@code run --cluster})
 * @param checks where the commands' health checks run
 */
public record RunnerSettings(Home home, ExecutableAllowList allowList, Duration stopTimeout, long logMaxBytes, int logFilesKept,
        LiveProcesses live, CommandLauncher launcher, boolean cluster, HealthChecks checks) {

    /** Default time between SIGTERM and SIGKILL: 10 s. */
    static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);
    /** A process that exits sooner than this after it was spawned failed to start, by default: 1 s. */
    public static final Duration START_GRACE = dev.supervisor.cli.RowSettings.DEFAULT_START_GRACE;

    public RunnerSettings {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(allowList, "allowList");
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(launcher, "launcher");
        Objects.requireNonNull(checks, "checks");
        if (stopTimeout.isNegative()) {
            throw new IllegalArgumentException("stop timeout must not be negative, was " + stopTimeout);
        }
    }
}
