package dev.supervisor.tests.jdbc;

import static org.awaitility.Awaitility.await;

import dev.supervisor.jdbc.Database;
import dev.supervisor.testsupport.MariaDbFixture;
import dev.supervisor.testsupport.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A MariaDB server of a test's own, never the shared one: a fresh data directory
 * ({@code mariadb-install-db}) under a temporary directory, {@code mariadbd} on 127.0.0.1:{@code port}
 * (3307 to 3309 are the MariaDB tests'), which the test may {@link #stop()} and {@link #start()}
 * again, with a fresh database on it ({@link MariaDbFixture}) that {@link #database()} migrates.
 * Without the server's binaries the test is skipped, or fails when {@code $CI} is set.
 */
public final class OwnMariaDb implements TestDatabase, AutoCloseable {

    private static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
    private static final Duration START_WAIT = Duration.ofSeconds(60);

    private final int port;
    private final Path directory;
    private Process server;
    private MariaDbFixture fixture;
    private Database database;

    private OwnMariaDb(int port, Path directory) {
        this.port = port;
        this.directory = directory;
    }

    /** Installs a data directory and starts the server on port, with an empty database {@code test}. */
    public static OwnMariaDb start(int port) throws Exception {
        if (!Files.isExecutable(MARIADBD)) {
            String reason = MARIADBD + " is not installed";
            if (System.getenv("CI") != null) {
                throw new AssertionError(reason + "; CI is set, so this fails instead of skipping");
            }
            Assumptions.abort(reason + ": skipping (with CI set it would fail)");
        }
        Path directory = Files.createTempDirectory("supervisor-mariadb-" + port + "-");
        run(List.of("mariadb-install-db", "--no-defaults", "--datadir=" + directory.resolve("data"), "--user=root",
                "--auth-root-authentication-method=normal", "--skip-test-db"), directory.resolve("install.log"));
        OwnMariaDb own = new OwnMariaDb(port, directory);
        own.start();
        own.fixture = new MariaDbFixture(TestServer.mariaDb().at(own.serverUrl()), "sv_own");
        own.fixture.start();
        return own;
    }

    private static void run(List<String> command, Path log) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed; see " + log);
        }
    }

    /** Starts the server (again) on its data directory and waits until it answers. */
    public void start() throws Exception {
        server = new ProcessBuilder(MARIADBD.toString(), "--no-defaults", "--datadir=" + directory.resolve("data"),
                "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + directory.resolve("mysqld.sock"), "--user=root",
                "--pid-file=" + directory.resolve("mysqld.pid"), "--innodb-buffer-pool-size=32M", "--skip-log-bin")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("server.log").toFile()))
                .start();
        Process started = server;
        await("mariadbd on port " + port + " to answer (see " + directory.resolve("server.log") + ")").atMost(START_WAIT)
                .pollInterval(Duration.ofMillis(100)).until(() -> answers() || !started.isAlive());
        if (!server.isAlive()) {
            throw new IllegalStateException("mariadbd on port " + port + " did not start; see " + directory.resolve("server.log"));
        }
    }

    private boolean answers() {
        try (Connection ignored = DriverManager.getConnection(serverUrl() + "&connectTimeout=1000")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Stops the server (SIGTERM, as a service manager would) and waits until it has exited. */
    public void stop() throws InterruptedException {
        server.destroy();
        if (!server.waitFor(60, TimeUnit.SECONDS)) {
            server.destroyForcibly().waitFor();
        }
    }

    /** The server's JDBC URL, without a database. */
    public String serverUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/?user=root";
    }

    /** The JDBC URL of the fresh database. */
    public String url() {
        return fixture.url();
    }

    /** The supervisor's migrated database on this server, opened once (the test closes it through {@link #close()}). */
    @Override
    public Database database() {
        if (database == null) {
            database = Database.builder(url()).schema(fixture.databaseName()).poolSize(4).connectionTimeout(Duration.ofSeconds(2))
                    .socketTimeout(Duration.ofSeconds(10)).open();
        }
        return database;
    }

    @Override
    public Connection plainConnection() throws SQLException {
        return fixture.plainConnection();
    }

    @Override
    public void sql(String... statements) {
        fixture.sql(statements);
    }

    @Override
    public long number(String query) {
        return fixture.number(query);
    }

    @Override
    public List<String> strings(String query) {
        return fixture.strings(query);
    }

    /** Drops the fresh database, stops the server and deletes its data directory. */
    @Override
    public void close() throws Exception {
        if (database != null) {
            database.close();
        }
        if (fixture != null && server.isAlive()) {
            fixture.close();
        }
        if (server != null && server.isAlive()) {
            stop();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not remove " + directory + ": " + e.getMessage());
        }
    }
}
