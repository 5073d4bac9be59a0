package dev.supervisor.tests.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the tests ask the operating system about processes. */
final class OsProcesses {

    private OsProcesses() {
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
