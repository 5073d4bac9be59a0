package dev.supervisor.tests.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL server of a test's own (never the shared one): a data directory under
 * {@value #ROOT}, made with {@code initdb} (or {@code pg_basebackup -R} from another such server,
 * for a streaming replica), run by the {@code postgres} user on a port of its own, with trust
 * authentication. The test can stop it, kill its postmaster with SIGKILL, promote it and change
 * its settings. {@link #close()} stops it at once and deletes its directory; {@link #cleanLeftovers}
 * does that for every server a killed earlier run left behind.
 *
 * <p>Needs root (it runs the server as {@code postgres} through {@code runuser}) and PostgreSQL's
 * server binaries ({@value #BIN}); without them the test is skipped, or fails when {@code CI} is set.
 */
final class OwnPostgres implements AutoCloseable {

    /** Where the servers' directories go; everything below it belongs to these tests. */
    static final String ROOT = "/var/tmp/svf-pg";
    static final String BIN = "/usr/lib/postgresql/15/bin";
    /** The file in a server's directory naming the pid of the JVM that made it. */
    private static final String OWNER = "owner.pid";

    final String name;
    final int port;
    final Path directory;
    private final Path data;
    private final String host;

    private OwnPostgres(Path directory, String name, int port, String host) {
        this.name = name;
        this.port = port;
        this.host = host;
        this.directory = directory;
        this.data = directory.resolve("data");
    }

    private OwnPostgres(String name, int port, String host) {
        this(Path.of(ROOT, name + "-" + port), name, port, host);
    }

    /** The first of the ports reserved for these servers (5441 to 5449) that nothing listens on, after skipping {@code taken}. */
    static int freePort(int... taken) {
        for (int port = 5441; port <= 5449; port++) {
            int candidate = port;
            if (java.util.Arrays.stream(taken).anyMatch(t -> t == candidate)) {
                continue;
            }
            try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException inUse) {
                // another server (of a concurrent run) has it
            }
        }
        throw new IllegalStateException("every port from 5441 to 5449 is in use");
    }

    /** Skips the test (fails it under CI) when servers of its own cannot be made here. */
    static void assumeAvailable() {
        String why = !Files.isExecutable(Path.of(BIN, "initdb")) ? "no PostgreSQL server binaries in " + BIN
                : !"root".equals(System.getProperty("user.name")) ? "not root (the server runs as postgres through runuser)" : null;
        if (why == null) {
            return;
        }
        if (System.getenv("CI") != null) {
            throw new AssertionError("cannot run a PostgreSQL server of the test's own: " + why + "; CI is set, so this fails");
        }
        Assumptions.abort("cannot run a PostgreSQL server of the test's own: " + why);
    }

    /**
     * A new primary named name on port, listening on 127.0.0.1 and the given extra addresses, with
     * these settings added to its configuration; started.
     */
    static OwnPostgres primary(String name, int port, List<String> extraAddresses, Map<String, String> settings)
            throws Exception {
        OwnPostgres server = new OwnPostgres(name, port, "127.0.0.1");
        server.create();
        server.asPostgres(BIN + "/initdb", "-D", server.data.toString(), "-A", "trust", "-U", "postgres", "--no-sync",
                "--no-instructions");
        server.configure(extraAddresses, settings);
        server.start();
        server.sqlLocally("postgres", "CREATE DATABASE test");
        return server;
    }

    /** A streaming replica of primary (pg_basebackup -R) named name on port, with these settings; started. */
    static OwnPostgres replicaOf(OwnPostgres primary, String name, int port, List<String> extraAddresses,
                                 Map<String, String> settings) throws Exception {
        OwnPostgres server = new OwnPostgres(name, port, "127.0.0.1");
        server.create();
        server.asPostgres(BIN + "/pg_basebackup", "-h", "127.0.0.1", "-p", Integer.toString(primary.port), "-U", "postgres",
                "-D", server.data.toString(), "-R", "-X", "stream", "--no-sync",
                "-d", "application_name=" + name);
        server.configure(extraAddresses, settings);
        server.start();
        return server;
    }

    /** A fresh directory for this server, marked with this JVM's pid (see {@link #cleanLeftovers}). */
    private void create() throws Exception {
        wipe();
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(OWNER), Long.toString(ProcessHandle.current().pid()));
        run("chown", "postgres", directory.toString());
    }

    private void configure(List<String> extraAddresses, Map<String, String> settings) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("port = " + port);
        lines.add("listen_addresses = '" + String.join(",", Stream.concat(Stream.of("127.0.0.1"), extraAddresses.stream()).toList())
                + "'");
        lines.add("unix_socket_directories = '" + directory + "'");
        lines.add("fsync = off");
        lines.add("full_page_writes = off");
        lines.add("shared_buffers = 16MB");
        lines.add("max_connections = 60");
        lines.add("logging_collector = off");
        lines.add("wal_keep_size = 256MB");
        settings.forEach((key, value) -> lines.add(key + " = '" + value + "'"));
        Files.writeString(data.resolve("postgresql.conf"), "\n# " + getClass().getSimpleName() + "\n" + String.join("\n", lines)
                + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(data.resolve("pg_hba.conf"), "host all all 0.0.0.0/0 trust\nhost replication all 0.0.0.0/0 trust\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    }

    /** The JDBC URL of database test on this server, at host (127.0.0.1 unless given). */
    String url() {
        return "jdbc:postgresql://" + host + ":" + port + "/test?user=postgres";
    }

    /** Starts the server and waits until it accepts connections. */
    void start() throws Exception {
        asPostgres(BIN + "/pg_ctl", "-D", data.toString(), "-l", directory.resolve("server.log").toString(), "-w", "-t", "60",
                "-s", "start");
    }

    /** Stops the server (fast shutdown: sessions are ended, and it waits until it is down). */
    void stop() throws Exception {
        asPostgres(BIN + "/pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "-s", "stop");
    }

    /** kill -9 of the postmaster, as a crash of the host would end it (its backends end on their own). */
    void killPostmaster() throws Exception {
        long pid = postmasterPid();
        if (pid > 0) {
            run("kill", "-9", Long.toString(pid));
            ProcessHandle.of(pid).ifPresent(process -> process.onExit().join());
        }
    }

    /** Promotes this replica and waits until it accepts writes. */
    void promote() throws Exception {
        asPostgres(BIN + "/pg_ctl", "-D", data.toString(), "-w", "-t", "60", "-s", "promote");
    }

    /** Sets a setting with ALTER SYSTEM and reloads the configuration (settings a reload can change). */
    void reload(String setting, String value) throws SQLException {
        sqlLocally("test", "ALTER SYSTEM SET " + setting + " = '" + value + "'", "SELECT pg_reload_conf()");
    }

    /**
     * Runs statements with {@code synchronous_commit = local}, so that they never wait for a
     * synchronous standby (the server's own configuration may be such that none answers).
     */
    void sqlLocally(String database, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database
                + "?user=postgres&options=-c%20synchronous_commit%3Dlocal&connectTimeout=5");
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private long postmasterPid() throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return -1;
        }
        List<String> lines = Files.readAllLines(pidFile);
        return lines.isEmpty() ? -1 : Long.parseLong(lines.getFirst().trim());
    }

    /** Stops a server left in the directory (SIGKILL of its postmaster and of its backends) and deletes the directory. */
    private void wipe() throws Exception {
        if (!Files.exists(directory)) {
            return;
        }
        long pid = postmasterPid();
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(postmaster -> {
                List<ProcessHandle> children = postmaster.children().toList();
                postmaster.destroyForcibly();
                postmaster.onExit().join();
                children.forEach(ProcessHandle::destroyForcibly);
            });
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /**
     * Stops and deletes every server under {@value #ROOT} whose test JVM is gone (a run killed
     * before it could clean up); servers of a run still going on are left alone.
     */
    static void cleanLeftovers() throws Exception {
        Path root = Path.of(ROOT);
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.toList()) {
                Path owner = dir.resolve(OWNER);
                boolean ownerAlive = Files.exists(owner)
                        && ProcessHandle.of(Long.parseLong(Files.readString(owner).trim())).map(ProcessHandle::isAlive).orElse(false);
                if (!ownerAlive) {
                    new OwnPostgres(dir, dir.getFileName().toString(), 0, "127.0.0.1").wipe();
                }
            }
        }
    }

    /** Stops the server at once (immediate shutdown, else SIGKILL) and deletes its directory. */
    @Override
    public void close() throws Exception {
        if (postmasterPid() > 0) {
            try {
                asPostgres(BIN + "/pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "-t", "20", "-s", "stop");
            } catch (IllegalStateException stoppedAlready) {
                // killed or stopped by the test: wipe() ends whatever is left
            }
        }
        wipe();
    }

    private void asPostgres(String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(List.of(command));
        run(full.toArray(String[]::new));
    }

    static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("exit " + process.exitValue() + ": " + String.join(" ", command) + "\n" + output);
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL " + name + " on port " + port;
    }
}
