package dev.supervisor.cli.command;

import dev.supervisor.cli.DatabaseTarget;
import dev.supervisor.cli.RefusedException;
import dev.supervisor.cli.output.ListedProcess;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * How {@code restart}, {@code stop} and {@code start} wait for the daemon: they read the row (and
 * its newest status) every {@link #POLL}, each read a short open of the database, until the row
 * satisfies a condition or the timeout passes. The daemon reports through the status table, so
 * this works whichever daemon (of a cluster) runs the row.
 */
final class RowWatch {

    /** Time between two reads. */
    static final Duration POLL = Duration.ofMillis(100);

    private final DatabaseTarget target;
    private final String name;

    RowWatch(DatabaseTarget target, String name) {
        this.target = target;
        this.name = name;
    }

    /**
     * Reads the row until it satisfies {@code done} or {@code timeout} passed, and returns the last
     * row read (which satisfies done unless the time ran out).
     *
     * @throws RefusedException if the row is removed meanwhile, or the database cannot be read
     */
    ListedProcess await(Duration timeout, Predicate<ListedProcess> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ListedProcess row = read();
            if (done.test(row) || System.nanoTime() - deadline >= 0) {
                return row;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RefusedException("interrupted while waiting for " + name + " (now " + row.state() + ")");
            }
        }
    }

    private ListedProcess read() {
        Optional<ListedProcess> row = target.withRows(rows -> rows.find(name));
        return row.orElseThrow(() -> new RefusedException("the row of " + name + " was removed meanwhile"));
    }
}
