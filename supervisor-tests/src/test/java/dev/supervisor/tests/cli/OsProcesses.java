package dev.supervisor.tests.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the tests ask the operating system about processes. */
final class OsProcesses {

    private OsProcesses() {
    }

    /** Every running process whose command line is exactly {@code argv} (such as {@code sleep 7123}), on the whole machine. */
    static List<ProcessHandle> withCommandLine(String... argv) {
        List<String> wanted = List.of(argv);
        return ProcessHandle.allProcesses().filter(OsProcesses::running)
                .filter(p -> commandLine(p).equals(wanted)).toList();
    }

    /** The process's argv from {@code /proc/PID/cmdline}, or empty if it is gone. */
    static List<String> commandLine(ProcessHandle process) {
        try {
            String raw = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return raw.isEmpty() ? List.of() : List.of(raw.split("\u0000"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * Whether process still runs. A zombie does not: it has exited and only waits for its parent
     * to collect its status; an orphan's new parent (init) may take a while to do so, and the
     * JDK counts it alive until then.
     */
    static boolean running(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return process.isAlive() && stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return process.isAlive(); // gone already, or no /proc
        }
    }
}
