package dev.supervisor.cli.daemon;

import dev.supervisor.TableException;
import dev.supervisor.cli.Home;
import dev.supervisor.cli.ProcessRows;
import dev.supervisor.cli.RefusedException;
import dev.supervisor.cli.Signal;
import dev.supervisor.cli.http.DaemonView;
import dev.supervisor.cli.output.Json;
import dev.supervisor.cli.output.ListedProcess;
import dev.supervisor.cli.output.Secrets;
import dev.supervisor.cli.process.LogTail;
import dev.supervisor.jdbc.Database;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the status page reads of this daemon ({@code run --http}): the rows through
 * {@link ProcessRows} as {@link ListedProcess#toJson()} (the JSON of {@code list --json}), the
 * logs through {@link LogTail}, written by {@link Json}, masked by {@link Secrets}.
 */
public final class StatusPageView implements DaemonView {

    private final Database database;
    private final Home home;
    private final Secrets secrets;

    public StatusPageView(Database database, Home home, Secrets secrets) {
        this.database = database;
        this.home = home;
        this.secrets = secrets;
    }

    @Override
    public List<Map<String, Object>> rows() {
        return withRows(rows -> rows.list().stream().map(ListedProcess::toJson).toList());
    }

    @Override
    public Optional<Map<String, Object>> row(String name) {
        return withRows(rows -> rows.find(name).map(ListedProcess::toJson));
    }

    @Override
    public Optional<String> logTail(String name, int lines) {
        LogTail tail = new LogTail(home.logFile(name));
        if (!tail.exists() && !withRows(rows -> rows.exists(name))) {
            return Optional.empty();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            tail.writeLast(lines, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log of " + name + ": " + e.getMessage(), e);
        }
        return Optional.of(out.toString(StandardCharsets.UTF_8));
    }

    /**
     * Runs work on a connection borrowed from the daemon's pool for this one request.
     *
     * @throws TableException if the database cannot be reached or fails the read (the message masked)
     */
    private <T> T withRows(Function<ProcessRows, T> work) {
        try (Connection connection = database.dataSource().getConnection()) {
            return work.apply(new ProcessRows(connection));
        } catch (SQLException e) {
            throw new TableException("cannot read the table: " + secrets.mask(String.valueOf(e.getMessage())), e);
        } catch (RefusedException e) { // ProcessRows refuses only when the database fails
            throw new TableException(secrets.mask(String.valueOf(e.getMessage())), e);
        }
    }

    @Override
    public String signal(String name, String signal) {
        Signal sig = Signal.parse(signal);
        ListedProcess row = withRows(rows -> rows.find(name)).orElseThrow(() -> new java.util.NoSuchElementException(name));
        try {
            return SignalSender.send(home, row, sig);
        } catch (RefusedException e) {
            throw new IllegalStateException(secrets.mask(e.getMessage()), e);
        }
    }

    @Override
    public String json(Object value) {
        return Json.write(value);
    }

    @Override
    public String mask(String text) {
        return secrets.mask(text);
    }
}
