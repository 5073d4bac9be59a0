package dev.supervisor.jdbc;

import dev.supervisor.jdbc.internal.table.TableQueries;
import java.util.function.LongSupplier;

/**
 * A live view of one {@link JdbcTable}'s statements, for monitoring (the Micrometer binder of
 * {@code supervisor-micrometer} reads it). Every read is current and never blocks; the view holds
 * no state of its own. Obtain it with {@link JdbcTable#statements()}.
 */
public final class TableStatements {

    private final TableQueries queries;
    private final LongSupplier pagesRead;

    TableStatements(TableQueries queries, LongSupplier pagesRead) {
        this.queries = queries;
        this.pagesRead = pagesRead;
    }

    /** The table, as used in SQL. */
    public Identifier table() {
        return queries.table();
    }

    /** How many of the table's statements run now; at most {@link #max()}. */
    public int running() {
        return queries.running();
    }

    /** About how many callers wait for their turn to run a statement now (see {@link JdbcTable.Builder#maxConcurrentStatements}). */
    public int waiting() {
        return queries.waiting();
    }

    /** The most statements that run at once. */
    public int max() {
        return queries.maxConcurrent();
    }

    /** How many statements were run since the table was built, including failed ones. */
    public long executed() {
        return queries.executed();
    }

    /** How many cursor pages were read since the table was built. */
    public long pagesRead() {
        return pagesRead.getAsLong();
    }

    @Override
    public String toString() {
        return "TableStatements[" + table() + ": " + running() + " running, " + waiting() + " waiting, " + executed()
                + " executed]";
    }
}
