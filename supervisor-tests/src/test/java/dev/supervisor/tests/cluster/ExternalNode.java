package dev.supervisor.tests.cluster;

import dev.supervisor.tests.jdbc.PostgresDatabaseExtension;
import dev.supervisor.testsupport.Waits;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A {@link ClusterNodeMain} in a JVM of its own, on this test's class path; its log goes to {@code target/cluster-nodes/<name>.log}. */
final class ExternalNode implements AutoCloseable {

    final String name;
    final String nodeId;
    private final Process process;

    private ExternalNode(String name, String nodeId, Process process) {
        this.name = name;
        this.nodeId = nodeId;
        this.process = process;
    }

    static ExternalNode start(String url, String schema, String name, Timing timing) throws Exception {
        return start(url, schema, name, timing, false);
    }

    /** Starts a node whose workers make {@link FencedWrites} if fenced. */
    static ExternalNode start(String url, String schema, String name, Timing timing, boolean fenced) throws Exception {
        return start(url, schema, name, timing, fenced, List.of());
    }

    /** Starts a node whose workers log their runs to history (a server and schema other than the node's). */
    static ExternalNode start(String url, String schema, String name, Timing timing, PostgresDatabaseExtension history)
            throws Exception {
        return start(url, schema, name, timing, false, List.of("-D" + ClusterNodeMain.HISTORY_URL + "=" + history.url(),
                "-D" + ClusterNodeMain.HISTORY_SCHEMA + "=" + history.schema()));
    }

    private static ExternalNode start(String url, String schema, String name, Timing timing, boolean fenced,
                                      List<String> jvmOptions) throws Exception {
        Path logs = Path.of("target", "cluster-nodes");
        logs.toFile().mkdirs();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ClusterNodeMain.class.getName(), url, schema, name));
        command.addAll(List.of(timing.asArguments()));
        if (fenced) {
            command.add("fenced");
        }
        Process process = new ProcessBuilder(command)
                .redirectError(logs.resolve(name + ".log").toFile())
                .start();
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("READY ")) {
                        return line.substring("READY ".length());
                    }
                }
                throw new IllegalStateException("node " + name + " ended before it was ready; see " + logs.resolve(name + ".log"));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
        try {
            return new ExternalNode(name, ready.get(Waits.PROCESS.toSeconds(), TimeUnit.SECONDS), process);
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** kill -9, and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL
        process.waitFor();
    }

    /** SIGSTOP: the JVM freezes where it is (inside fenced transactions, lease statements, anywhere). */
    void freeze() throws Exception {
        signal("STOP");
    }

    /** SIGCONT: the frozen JVM goes on. */
    void thaw() throws Exception {
        signal("CONT");
    }

    private void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Graceful: closes its standard input, so it closes its supervisor (killed if it takes over 30 s). */
    @Override
    public void close() throws Exception {
        if (!process.isAlive()) {
            return;
        }
        thaw(); // harmless if it runs
        process.getOutputStream().close();
        if (!process.waitFor(Waits.PROCESS.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    static File logOf(String name) {
        return Path.of("target", "cluster-nodes", name + ".log").toFile();
    }
}
