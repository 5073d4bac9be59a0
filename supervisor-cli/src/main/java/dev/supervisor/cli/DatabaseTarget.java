package dev.supervisor.cli;

import dev.supervisor.cli.output.Secrets;
import dev.supervisor.jdbc.Database;
import dev.supervisor.jdbc.Dialect;
import dev.supervisor.jdbc.SchemaMigration;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Which database the CLI uses: {@code --db URL} (H2, PostgreSQL, MariaDB or MySQL), else the embedded H2 file in
 * the home, which the daemon and the other commands open together (H2's mixed mode). The daemon
 * opens a pool and migrates the schema; a one-shot command opens one connection and only checks
 * the schema's version (one query), migrating only a database that was never migrated. Failing to
 * reach it is a {@link RefusedException} whose message never contains the password.
 */
public final class DatabaseTarget {

    /** How long opening waits for a connection before saying the database is unreachable. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    /** How long opening the embedded file waits while another process holds it without serving it. */
    static final Duration EMBEDDED_LOCK_WAIT = Duration.ofSeconds(10);
    /**
     * Connections of a one-shot command's pool, opened only to migrate a database that was never
     * migrated: migrating takes three at once on H2 (the migration lock's, and Flyway's two).
     */
    static final int COMMAND_POOL_SIZE = 4;
    /** H2's error code for "Database may be already in use". */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    private final Home home;
    private final String url;
    private final String user;
    private final String password;
    private final String schema;
    private final Secrets secrets;

    public DatabaseTarget(Home home, String url, String user, String password, String schema) {
        this.home = home;
        this.url = url != null ? url : embeddedUrl(home);
        this.user = user;
        this.password = password;
        this.schema = schema;
        this.secrets = Secrets.of(password);
    }

    /**
     * The embedded file in H2's mixed mode, each commit written at once: by default H2 writes
     * commits up to half a second later, and a daemon killed with SIGKILL would forget the pids it
     * just recorded, and with them the processes it would have to stop after such a crash.
     */
    static String embeddedUrl(Home home) {
        return Database.h2FileUrl(home.database()); // WRITE_DELAY=0: a kill -9 loses no committed row
    }

    boolean embedded() {
        return url.equals(embeddedUrl(home));
    }

    /** The URL with its password masked, for messages. */
    public String describe() {
        return secrets.mask(url) + (schema == null ? "" : " (schema " + schema + ")");
    }

    /**
     * Runs a one-shot command's work on the rows: opens one connection (taking the embedded file's
     * turn, see {@link EmbeddedAccess}), checks that the schema is current, runs work, closes it.
     * No pool, no thread, no Flyway, unless the database was never migrated: then it is migrated
     * first, as the daemon would.
     *
     * @throws RefusedException if the database cannot be reached, its schema is older than this
     *     supervisor's (saying what to do), or work refuses
     */
    @SuppressWarnings("try") // the turn is held, not used
    public <T> T withRows(Function<ProcessRows, T> work) {
        try (EmbeddedAccess access = access(); Connection connection = retryingLocked(this::connect)) {
            if (!schemaCurrent(connection)) {
                open(COMMAND_POOL_SIZE).close(); // never migrated: create the schema, as the first run would
            }
            return work.apply(new ProcessRows(connection));
        } catch (SQLException e) {
            throw new RefusedException("cannot close the connection to " + describe() + ": " + secrets.mask(reason(e)), e);
        }
    }

    private Connection connect() {
        if (embedded()) {
            home.create();
        }
        try {
            return builder(1).openConnection();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e); // retried while another process holds the file
        }
    }

    /**
     * True if the schema has every migration of this supervisor; false if it was never migrated.
     *
     * @throws RefusedException if it is older: only the daemon migrates it
     */
    private boolean schemaCurrent(Connection connection) {
        java.util.Optional<String> applied;
        try {
            applied = SchemaMigration.appliedVersion(connection);
        } catch (SQLException e) {
            throw new RefusedException("cannot read the schema version of " + describe() + ": " + secrets.mask(reason(e)), e);
        }
        if (applied.isPresent() && !SchemaMigration.isCurrent(applied.get())) {
            throw new RefusedException("the schema of " + describe() + " is at version " + applied.get() + ", older than this "
                    + "supervisor's " + SchemaMigration.LATEST_VERSION + ": start this version's daemon once (supervisor run), "
                    + "which migrates it, then try again");
        }
        return applied.isPresent();
    }

    /**
     * A warning for {@code add} and {@code list} when no daemon runs on the database: the
     * default home depends on the current directory, and a second terminal elsewhere silently
     * gets a new, empty database.
     */
    public String noDaemonWarning() {
        return "warning: " + noDaemon();
    }

    /** That no daemon runs on the database, and how to run one. */
    public String noDaemon() {
        return "no daemon is running on " + describe() + (embedded() ? " (home " + home.dir() + ")" : "")
                + "; rows start once one runs: supervisor" + (embedded() ? " --home " + home.dir() : "") + " run";
    }

    /** Opens the database for the daemon, which holds the embedded file's turn only while opening it. */
    @SuppressWarnings("try") // the turn is held, not used
    public Database openForDaemon() {
        try (EmbeddedAccess access = access()) {
            return open(Database.DEFAULT_POOL_SIZE);
        }
    }

    private EmbeddedAccess access() {
        return embedded() ? EmbeddedAccess.acquire(home.database().resolveSibling("access.lock")) : EmbeddedAccess.none();
    }

    /**
     * Opens and migrates the database.
     *
     * @param poolSize connections at most: small for one-shot commands
     * @throws RefusedException if it cannot be reached or migrated, saying why
     */
    private Database open(int poolSize) {
        if (embedded()) {
            home.create();
        }
        return retryingLocked(() -> builder(poolSize).open());
    }

    /**
     * Opens with opener, trying again while another process holds the embedded file (see
     * {@link #lockedByAnotherProcess}) for at most {@link #EMBEDDED_LOCK_WAIT}.
     *
     * @throws RefusedException if it cannot be reached, saying why
     */
    private <T> T retryingLocked(java.util.function.Supplier<T> opener) {
        long deadline = System.nanoTime() + EMBEDDED_LOCK_WAIT.toNanos();
        while (true) {
            try {
                return opener.get();
            } catch (RuntimeException e) {
                if (!embedded() || !lockedByAnotherProcess(e) || System.nanoTime() - deadline >= 0) {
                    throw new RefusedException("cannot reach the database " + describe() + ": " + secrets.mask(reason(e)), e);
                }
                pause();
            }
        }
    }

    private Database.Builder builder(int poolSize) {
        Database.Builder builder = Database.builder(url).poolSize(poolSize).connectionTimeout(CONNECTION_TIMEOUT);
        if (user != null) {
            builder.user(user);
        }
        if (password != null) {
            builder.password(password);
        }
        if (schema != null) {
            builder.schema(schema);
        }
        return builder;
    }

    /**
     * H2's mixed mode has windows in which another process holds the file's lock but no server
     * answers yet (or any more): it is just opening or closing the file ("Database may be already
     * in use", "Lock file recently modified"). Then the open is tried again.
     */
    private static boolean lockedByAnotherProcess(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && (sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN
                    || String.valueOf(sql.getMessage()).contains("Lock file recently modified"))) {
                return true;
            }
        }
        return false;
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RefusedException("interrupted while waiting for the embedded database");
        }
    }

    /** The most telling message of a failure to open: the SQL error's, without the pool's wrapping. */
    private static String reason(Throwable e) {
        if (e instanceof IllegalStateException && e.getMessage() != null) {
            return e.getMessage(); // a library the database needs is missing: the message names it
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException && t.getMessage() != null) {
                return t.getMessage();
            }
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** For picocli: {@code --db} must be the JDBC URL of a supported database (a usage error otherwise). */
    static final class UrlConverter implements ITypeConverter<String> {
        @Override
        public String convert(String url) {
            try {
                Dialect.forUrl(url);
                return url;
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + Secrets.of().mask(url)
                        + "' is not a supported JDBC URL: expected " + Dialect.supportedUrls());
            }
        }
    }
}
