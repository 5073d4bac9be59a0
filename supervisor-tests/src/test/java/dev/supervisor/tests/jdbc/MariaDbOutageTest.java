package dev.supervisor.tests.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Supervisor;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults of the MariaDB server under a running supervisor, on a server of this test's own (port
 * 3307; never the shared one): stopped for {@value #OUTAGE_SECONDS} s, it touches no running
 * process (none stops, none starts again) and the supervisor catches up once it is back (a row
 * written while it was down, and one written after, start; a deleted row's process is retired);
 * its sessions killed by the server ({@code KILL}), the pool and the change signal replace them
 * and the next change is seen.
 */
@Timeout(300)
class MariaDbOutageTest extends SupervisorOnDatabase {

    static final long OUTAGE_SECONDS = Long.getLong("supervisor.mariadb.outage.seconds", 60);
    private static OwnMariaDb server;

    @BeforeAll
    static void startServer() throws Exception {
        server = OwnMariaDb.start(3307);
        server.database(); // migrated before the first test empties its tables
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    TestDatabase db() {
        return server;
    }

    @Test
    void aServerStoppedForAMinuteTouchesNoRunningProcessAndIsCaughtUpWith() throws Exception {
        Supervisor<String, Worker> supervisor = launch(table());
        for (String key : Set.of("a", "b", "c", "doomed")) {
            insert(key, "run");
        }
        await().atMost(WAIT).until(() -> supervisor.keys().size() == 4 && runs.keysStarted() == 4);

        server.stop();
        Thread.sleep(Duration.ofSeconds(OUTAGE_SECONDS).toMillis()); // the fault's duration, not a synchronisation
        assertThat(supervisor.keys()).as("processes while the server was down").containsExactlyInAnyOrder("a", "b", "c", "doomed");
        assertThat(runs.mostStartsOfAnyKey()).as("no process started again").isEqualTo(1);
        server.start();

        insert("after", "run");
        db().sql("DELETE FROM supervisor_processes WHERE name = 'doomed'");
        await().atMost(WAIT).until(() -> running(supervisor, "after") && !supervisor.keys().contains("doomed"));
        assertThat(supervisor.keys()).containsExactlyInAnyOrder("a", "b", "c", "after");
        assertThat(runs.mostStartsOfAnyKey()).isEqualTo(1);
        assertThat(runs.mostAtOnceOfAnyKey()).isEqualTo(1);
    }

    @Test
    void killedSessionsAreReplacedAndTheNextChangeIsSeen() {
        Supervisor<String, Worker> supervisor = launch(table());
        insert("before", "run");
        await().atMost(WAIT).until(() -> running(supervisor, "before"));

        long killed = 0;
        for (String id : server.strings("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE()"
                + " AND ID <> CONNECTION_ID() AND COMMAND <> 'Daemon'")) {
            server.sql("KILL CONNECTION " + id);
            killed++;
        }
        assertThat(killed).as("the supervisor's sessions").isPositive();

        insert("after", "run");
        await().atMost(WAIT).until(() -> running(supervisor, "after"));
        assertThat(runs.mostStartsOfAnyKey()).isEqualTo(1);
    }
}
