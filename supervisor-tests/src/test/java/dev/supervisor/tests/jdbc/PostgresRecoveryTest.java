package dev.supervisor.tests.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Supervisor;
import dev.supervisor.jdbc.Database;
import dev.supervisor.jdbc.JdbcTable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PostgreSQL connections dying under the supervisor: the change signal and the passes recover. */
class PostgresRecoveryTest extends SupervisorOnDatabase {

    @RegisterExtension
    static final PostgresDatabaseExtension POSTGRES = new PostgresDatabaseExtension();

    @Override
    TestDatabase db() {
        return POSTGRES;
    }

    /** Terminates this class's backends with the given application_name (ours are unique per class and run). */
    private long terminate(String applicationName) {
        return db().number("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                + " AND application_name = '" + applicationName + "'");
    }

    private static String listenerName() {
        return POSTGRES.applicationName() + Database.LISTENER_SUFFIX;
    }

    private long listeners() {
        return db().number("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = '"
                + listenerName() + "' AND query LIKE 'LISTEN supervisor_%'");
    }

    /**
     * pg_terminate_backend on the LISTEN connection: the listener reconnects on its own, and a
     * row inserted afterwards starts at once (the periodic pass is 10 minutes away).
     */
    @Test
    void theChangeSignalRecoversAfterItsConnectionIsTerminated() {
        Supervisor<String, Worker> supervisor = launch(table());
        insert("before", "run");
        await().atMost(WAIT).until(() -> running(supervisor, "before"));
        await().atMost(WAIT).until(() -> listeners() == 1);

        assertThat(terminate(listenerName())).isEqualTo(1);
        await().atMost(WAIT).until(() -> listeners() == 1); // a new backend LISTENs again

        insert("after", "run");
        await().atMost(WAIT).until(() -> running(supervisor, "after"));
        assertThat(runs.mostStartsOfAnyKey()).isEqualTo(1);
    }

    /**
     * Every supervisor connection is terminated while the launch pass is half-way through the
     * table: that pass fails, the next one (asked for by the reconnected listener) starts the
     * rest, and no key is started twice or runs twice at once.
     */
    @Test
    void killingEveryConnectionMidPassLosesNothingAndRunsNothingTwice() throws Exception {
        int rows = 1_000;
        insertMany("row", rows);
        AtomicInteger decoded = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        onDecode = row -> {
            if (decoded.incrementAndGet() == rows / 2 && killed.compareAndSet(false, true)) {
                terminate(POSTGRES.applicationName());
                terminate(listenerName());
            }
        };
        JdbcTable<String, Worker> table = table();
        Supervisor<String, Worker> supervisor = launch(table);

        await().atMost(WAIT).until(() -> runs.keysStarted() == rows);
        assertThat(killed).isTrue();
        assertThat(passes).as("some pass failed when its connections were killed")
                .anySatisfy(pass -> assertThat(pass.complete()).isFalse());
        assertThat(supervisor.keys()).hasSize(rows);
        assertThat(runs.mostStartsOfAnyKey()).as("starts of any one key").isEqualTo(1);
        assertThat(runs.mostAtOnceOfAnyKey()).as("workers of one key at once").isEqualTo(1);
    }
}
