package dev.supervisor.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * A fresh, isolated place in a database for tests (a database, a schema), made when the fixture
 * starts and dropped when it closes, with plain JDBC on it: its {@link #url()}, connections, a data
 * source and SQL helpers, as another program would use it.
 *
 * <p>Use it as a JUnit extension, like Jdbi's {@code JdbiExtension}: in a {@code static}
 * {@code @RegisterExtension} field one place serves the whole class (made before the first test,
 * dropped after the last), in an instance field each test gets its own. Or directly: {@link #start()}
 * and {@link #close()} (it is {@link AutoCloseable}). Where a server cannot be reached, starting
 * skips the test or fails it as {@link TestServer} says; as an extension every test of the class
 * is skipped (or fails) with that reason.
 *
 * <p>A test opens what it tests on the fixture's URL (the project's {@code Database}, a pool) and
 * hands it to {@link #attach}, which closes it before the place is dropped. Not thread-safe to
 * start and close; the SQL helpers open a connection each and may be used from any thread.
 */
public abstract class DatabaseFixture
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback, AutoCloseable {

    private final Deque<AutoCloseable> attached = new ArrayDeque<>();
    private String prefix;
    private boolean started;
    private boolean perClass;
    private RuntimeException unavailable;
    private Error failed;

    /**
     * @param prefix the start of the fresh place's name (a random suffix follows), or null to name
     *     it after the test class when used as an extension ({@code sv} otherwise)
     */
    protected DatabaseFixture(String prefix) {
        this.prefix = prefix;
    }

    /**
     * Makes the fresh place, once; does nothing when started already.
     *
     * @throws TestAbortedException when the server is unreachable (the test is skipped)
     * @throws AssertionError when it is unreachable and {@code $CI} is set, or the driver is missing
     */
    public final void start() {
        if (started) {
            return;
        }
        String start = (prefix == null ? "sv" : prefix).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        // PostgreSQL's names have at most 63 characters, MariaDB's 64.
        create(start.substring(0, Math.min(start.length(), 40)) + "_"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        started = true;
        try {
            opened();
        } catch (RuntimeException | Error e) {
            try {
                close();
            } catch (RuntimeException | Error suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Whether the fixture has made its place (and not dropped it yet). */
    public final boolean started() {
        return started;
    }

    /** The JDBC URL whose connections are in the fresh place (its database, its schema). */
    public abstract String url();

    /**
     * Closes {@code resource} when this fixture closes, before the place is dropped (the last
     * attached first), and returns it: {@code Database database = fixture.attach(Database.connect(fixture.url()))}.
     */
    public final <T extends AutoCloseable> T attach(T resource) {
        attached.push(resource);
        return resource;
    }

    /** A new plain JDBC connection (not from a pool) in the fresh place; the caller closes it. */
    public Connection plainConnection() throws SQLException {
        return DriverManager.getConnection(url());
    }

    /** A data source whose every connection is a new {@link #plainConnection()}. */
    public final DataSource dataSource() {
        return new PlainDataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                return plainConnection();
            }
        };
    }

    /** Runs statements in the fresh place, in order, on one plain connection in autocommit. */
    public final void sql(String... statements) {
        try (Connection connection = plainConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new AssertionError("SQL failed: " + e.getMessage(), e);
        }
    }

    /** The first column of the first row of a query, as a number. */
    public final long number(String query) {
        List<String> values = strings(query);
        if (values.isEmpty() || values.getFirst() == null) {
            throw new AssertionError("no number from: " + query);
        }
        return Long.parseLong(values.getFirst().trim());
    }

    /** The first column of every row of a query, as text. */
    public final List<String> strings(String query) {
        try (Connection connection = plainConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new AssertionError("SQL failed: " + e.getMessage(), e);
        }
    }

    /** Closes what was {@linkplain #attach attached}, then drops the place. Does nothing when not started. */
    @Override
    public final void close() {
        Throwable failure = null;
        while (!attached.isEmpty()) {
            try {
                attached.pop().close();
            } catch (Exception | Error e) {
                failure = add(failure, e);
            }
        }
        if (started) {
            started = false;
            try {
                drop();
            } catch (RuntimeException | Error e) {
                failure = add(failure, e);
            }
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException("closing what was attached to " + this + " failed", failure);
        }
    }

    /** Makes the place called {@code name} (lower case, letters, digits and underscores). */
    protected abstract void create(String name);

    /** Drops the place; called once, after {@link #create} succeeded. */
    protected abstract void drop();

    /**
     * Called once the place is made: a subclass opens here what it keeps on the place for its tests
     * (and {@linkplain #attach attaches} it). A failure closes the fixture again. Does nothing by default.
     */
    protected void opened() {
    }

    @Override
    public final void beforeAll(ExtensionContext context) {
        perClass = true;
        begin(context);
    }

    @Override
    public final void beforeEach(ExtensionContext context) {
        if (!perClass) {
            begin(context);
        }
        if (failed != null) {
            throw failed;
        }
        if (unavailable != null) {
            throw unavailable;
        }
    }

    @Override
    public final void afterEach(ExtensionContext context) {
        if (!perClass) {
            close();
        }
    }

    @Override
    public final void afterAll(ExtensionContext context) {
        close();
    }

    /** Starts for the test class, keeping a skip or a failure for each of its tests to report. */
    private void begin(ExtensionContext context) {
        if (prefix == null) {
            prefix = "sv_" + context.getRequiredTestClass().getSimpleName();
        }
        unavailable = null;
        failed = null;
        try {
            start();
        } catch (TestAbortedException e) {
            System.err.println(context.getRequiredTestClass().getSimpleName() + ": " + e.getMessage());
            unavailable = e;
        } catch (AssertionError e) {
            failed = e;
        }
    }

    private static Throwable add(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
