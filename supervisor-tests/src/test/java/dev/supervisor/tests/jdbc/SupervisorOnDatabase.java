package dev.supervisor.tests.jdbc;


import dev.supervisor.KeyState;
import dev.supervisor.PassReport;
import dev.supervisor.ProcessStatus;
import dev.supervisor.RestartPolicy;
import dev.supervisor.Supervisor;
import dev.supervisor.SupervisorListener;
import dev.supervisor.Table;
import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.jdbc.Row;
import dev.supervisor.testsupport.Waits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the end-to-end database tests share: a {@link JdbcTable} of test {@link Worker}s, a
 * supervisor whose periodic pass is 10 minutes away (so only the table's change signal explains a
 * quick reaction), records of runs, passes and retirements, and plain-SQL helpers. Everything it
 * opens is closed after each test.
 */
abstract class SupervisorOnDatabase {

    static final Duration WAIT = Waits.DATABASE;
    static final Duration NO_PERIODIC_PASS = Duration.ofMinutes(10);
    static final RestartPolicy QUICK_RESTARTS = RestartPolicy.DEFAULT.withBackoff(Duration.ofMillis(10), Duration.ofMillis(100));

    final Runs runs = new Runs();
    final List<PassReport<String>> passes = new CopyOnWriteArrayList<>();
    final List<String> retired = new CopyOnWriteArrayList<>();
    /** Called with every row the table decodes, on the decoding thread. */
    volatile Consumer<Row<String>> onDecode = row -> { };
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    /** The database under test. */
    abstract TestDatabase db();

    @BeforeEach
    void emptyTables() {
        db().sql("DELETE FROM supervisor_processes", "DELETE FROM supervisor_status");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : closeAfter.reversed()) {
            closeable.close();
        }
    }

    <T extends AutoCloseable> T closeAfter(T closeable) {
        closeAfter.add(closeable);
        return closeable;
    }

    JdbcTable<String, Worker> table() {
        return closeAfter(JdbcTable.builder(db().database(), row -> {
            onDecode.accept(row);
            if (row.payload().startsWith("bad")) {
                throw new IllegalArgumentException("unreadable payload '" + row.payload() + "'");
            }
            return new Worker(row.key(), row.payload(), runs, db());
        }).build());
    }

    Supervisor<String, Worker> launch(Table<String, Worker> table, SupervisorListener<String> extra) {
        SupervisorListener<String> recorder = new SupervisorListener<>() {
            @Override
            public void retired(ProcessStatus<String> last) {
                retired.add(last.key());
            }

            @Override
            public void passCompleted(PassReport<String> report) {
                passes.add(report);
            }
        };
        Supervisor<String, Worker> supervisor = closeAfter(Supervisor.builder(table)
                .reconcileInterval(NO_PERIODIC_PASS)
                .restartPolicy(QUICK_RESTARTS)
                .stopTimeout(Duration.ofSeconds(5))
                .listener(recorder)
                .listener(extra)
                .build());
        supervisor.launch();
        return supervisor;
    }

    Supervisor<String, Worker> launch(Table<String, Worker> table) {
        return launch(table, new SupervisorListener<>() { });
    }

    void insert(String key, String payload) {
        db().sql("INSERT INTO supervisor_processes (name, payload) VALUES ('" + key + "', '" + payload + "')");
    }

    static boolean running(Supervisor<String, Worker> supervisor, String key) {
        return supervisor.status(key).map(s -> s.state() == KeyState.RUNNING).orElse(false);
    }

    /** Inserts {@code rows} rows named {@code prefix-00000...} with payload 'run' in one batch. */
    void insertMany(String prefix, int rows) throws java.sql.SQLException {
        try (Connection connection = db().plainConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO supervisor_processes (name, payload) VALUES (?, 'run')")) {
            connection.setAutoCommit(false);
            for (int i = 0; i < rows; i++) {
                insert.setString(1, String.format("%s-%05d", prefix, i));
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
        }
    }
}
