package dev.supervisor.cli.daemon;

import dev.supervisor.ChangeListener;
import dev.supervisor.KeyState;
import dev.supervisor.ProcessStatus;
import dev.supervisor.RowState;
import dev.supervisor.Supervisor;
import dev.supervisor.cli.CommandSpec;
import dev.supervisor.cli.output.HumanOutput;
import dev.supervisor.cli.process.OsProcessRunner;
import dev.supervisor.jdbc.JdbcTable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lifts a give-up when the row is updated: a row given up ({@code GIVEN_UP}) whose payload changes
 * (an {@code UPDATE} by SQL, a fixed command) is {@link Supervisor#reset reset}, so it starts at
 * once with the new command and a clean failure history, as {@code start NAME} would. It follows
 * the table's change signals; a signal that names no key checks every given-up key. The commands
 * given up on are remembered as they last started ({@link #started}). Thread-safe; the checks run
 * on one virtual thread, off the signal's thread.
 */
final class GiveUpLifter implements ChangeListener<String> {

    private static final Logger LOG = LoggerFactory.getLogger(GiveUpLifter.class);

    private final Supervisor<String, OsProcessRunner> supervisor;
    private final JdbcTable<String, OsProcessRunner> table;
    private final HumanOutput output;
    private final Map<String, CommandSpec> lastStarted = new ConcurrentHashMap<>();
    private final ExecutorService checks = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("supervisor-give-ups")
            .factory());

    GiveUpLifter(Supervisor<String, OsProcessRunner> supervisor, JdbcTable<String, OsProcessRunner> table, HumanOutput output) {
        this.supervisor = supervisor;
        this.table = table;
        this.output = output;
    }

    /** Key's attempt started with spec. */
    void started(String key, CommandSpec spec) {
        lastStarted.put(key, spec);
    }

    @Override
    public void rowChanged(String key) {
        if (givenUp(key)) {
            submit(() -> check(key));
        }
    }

    @Override
    public void tableChanged() {
        submit(() -> supervisor.statuses().values().stream().filter(s -> s.state() == KeyState.GIVEN_UP)
                .map(ProcessStatus::key).forEach(this::check));
    }

    private boolean givenUp(String key) {
        return supervisor.status(key).map(s -> s.state() == KeyState.GIVEN_UP).orElse(false);
    }

    private void submit(Runnable task) {
        try {
            checks.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the daemon is stopping
        }
    }

    private void check(String key) {
        try {
            if (!givenUp(key)) {
                return;
            }
            Optional<CommandSpec> now = table.row(key).map(RowState::value).map(OsProcessRunner::spec);
            CommandSpec before = lastStarted.get(key);
            if (now.isPresent() && !now.get().equals(before)) {
                output.line(key + " was updated: lifting its give-up");
                supervisor.reset(key);
            }
        } catch (RuntimeException e) {
            LOG.debug("Cannot check the given-up row of {}: {}", key, e.toString());
        }
    }

    void close() {
        checks.shutdownNow();
        lastStarted.clear();
    }
}
