package app;

import dev.supervisor.ProcessContext;
import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.jdbc.Database;
import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.jdbc.StatusWriter;
import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testing.ManualClock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one worker from an {@link InMemoryTable} (module dev.supervisor), then one from a
 * {@link JdbcTable} on in-memory H2 (module dev.supervisor.jdbc: Jdbi, HikariCP, Flyway's
 * migrations, the status writer), and prints {@code modular app ok} once both ran and retired.
 * Any failure ends the JVM with a stack trace and a non-zero status.
 */
public final class ModularApp {

    private static final long WAIT_SECONDS = 60;

    record Worker(CountDownLatch ready, CountDownLatch ended) implements Runner {
        @Override
        public void run(ProcessContext context) throws InterruptedException {
            context.ready();
            ready.countDown();
            try {
                context.awaitStop();
            } finally {
                ended.countDown();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (!ModularApp.class.getModule().isNamed() || !Supervisor.class.getModule().isNamed()
                || !Database.class.getModule().isNamed()) {
            throw new AssertionError("expected named modules, got " + ModularApp.class.getModule() + ", "
                    + Supervisor.class.getModule() + ", " + Database.class.getModule());
        }
        Worker first = new Worker(new CountDownLatch(1), new CountDownLatch(1));
        InMemoryTable<String, Worker> memory = new InMemoryTable<>();
        try (Supervisor<String, Worker> supervisor = Supervisor.builder(memory).clock(new ManualClock()).build()) {
            supervisor.launch();
            memory.put("in-memory", first);
            await(first.ready(), "the in-memory worker to start");
            memory.remove("in-memory");
            await(first.ended(), "the in-memory worker to retire");
        }

        Worker second = new Worker(new CountDownLatch(1), new CountDownLatch(1));
        try (Database db = Database.connect("jdbc:h2:mem:modular;DB_CLOSE_DELAY=-1");
             JdbcTable<String, Worker> table = JdbcTable.builder(db, row -> second).build();
             StatusWriter<String> status = StatusWriter.<String>builder(db).build();
             Supervisor<String, Worker> supervisor = Supervisor.builder(table).listener(status).build()) {
            supervisor.launch();
            table.put("mailer", "queue=mail");
            await(second.ready(), "the H2 worker to start");
            table.remove("mailer");
            await(second.ended(), "the H2 worker to retire");
        }
        System.out.println("modular app ok: " + ModularApp.class.getModule().getName() + " read "
                + Database.class.getModule().getName() + " and " + Supervisor.class.getModule().getName());
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("timed out after " + WAIT_SECONDS + " s waiting for " + what);
        }
    }

    private ModularApp() {
    }
}
