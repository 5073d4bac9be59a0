package dev.supervisor.jdbc.internal.table;

import dev.supervisor.TableException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The pages of one cursor over a table in key order, read on one connection with one prepared
 * statement: both are taken with the first page, in one of the table's turns, and kept for the
 * pages after it. A scan holding them counts as one statement running, since it holds a
 * connection; so it gives the connection and the turn back
 * <ul>
 *   <li>after the last page (a short one), after a failure, and when the cursor closes;
 *   <li>after any page while another caller waits for a turn, taking them again for its next page,
 *       in line with the others;
 *   <li>after every page when the table runs one statement at a time
 *       ({@link TableQueries#maxConcurrent()} 1): holding its only turn between pages, the scan
 *       would block whatever its own thread reads in between (the row of a key, say).
 * </ul>
 * So a scan pays for its connection and statement once while nobody else needs them, and never
 * holds a connection past its last page. Each page has the table's query timeout.
 *
 * <p>Not thread-safe: one cursor, one thread.
 */
final class KeysetScan implements KeysetCursor.PageReader {
    private static final String VERB = "read a page of";

    private final TableQueries queries;
    /** The connection of the turn this scan holds; null while it holds none. */
    private Handle handle;
    private PreparedStatement nextPage;

    KeysetScan(TableQueries queries) {
        this.queries = queries;
    }

    @Override
    public List<StoredRow> read(String afterKey, int limit) {
        if (handle == null) {
            queries.takeTurn(VERB);
            try {
                handle = queries.openHandle();
            } catch (RuntimeException e) {
                queries.releaseTurn();
                throw queries.failure(VERB, e);
            }
        } else {
            queries.countStatement();
        }
        List<StoredRow> page;
        try {
            page = afterKey == null ? firstPage(limit) : nextPage(afterKey, limit);
        } catch (SQLException | RuntimeException e) {
            TableException failure = queries.failure(VERB, e);
            try {
                close(); // the next read, if any, starts on a fresh connection
            } catch (RuntimeException closing) {
                failure.addSuppressed(closing);
            }
            throw failure;
        }
        if (page.size() < limit || queries.maxConcurrent() == 1 || queries.waiting() > 0) {
            close();
        }
        return page;
    }

    private List<StoredRow> firstPage(int limit) throws SQLException {
        try (PreparedStatement first = prepare(queries.firstPageSql())) {
            first.setInt(1, limit);
            return rows(first, limit);
        }
    }

    private List<StoredRow> nextPage(String afterKey, int limit) throws SQLException {
        if (nextPage == null) {
            nextPage = prepare(queries.nextPageSql());
        }
        nextPage.setObject(1, queries.key(afterKey));
        nextPage.setInt(2, limit);
        return rows(nextPage, limit);
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = handle.getConnection().prepareStatement(sql);
        statement.setQueryTimeout(queries.queryTimeoutSeconds());
        return statement;
    }

    private static List<StoredRow> rows(PreparedStatement statement, int limit) throws SQLException {
        List<StoredRow> page = new ArrayList<>(limit);
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                page.add(TableQueries.storedRow(rs));
            }
        }
        return page;
    }

    /** Gives back the connection and the turn, if this scan holds them. Idempotent. */
    @Override
    public void close() {
        Handle held = handle;
        if (held == null) {
            return;
        }
        PreparedStatement statement = nextPage;
        handle = null;
        nextPage = null;
        try {
            if (statement != null) {
                statement.close();
            }
        } catch (SQLException e) {
            // closing the connection below closes its statements anyway
        } finally {
            try {
                held.close();
            } finally {
                queries.releaseTurn();
            }
        }
    }
}
