package dev.supervisor.tests.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.ProcessContext;
import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.jdbc.Database;
import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.jdbc.StatusWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded-H2 example of docs/jdbc.md, compiled and run as written there. */
class JdbcReadmeExampleTest {

    // docs: jdbc-worker
    record Worker(String name, String payload) implements Runner {
        @Override
        public void run(ProcessContext context) throws Exception {
            context.ready();
            while (!context.stopRequested()) {
                // ... one unit of work for `payload` ...
                context.awaitStop(Duration.ofSeconds(1));
            }
        }
    }
    // docs: end

    @Test
    void theEmbeddedH2ExampleStartsAndRetiresAWorker(@TempDir Path dir) {
        Path data = dir.resolve("data");
        // docs: jdbc-embedded
        try (Database db = Database.embedded(data.resolve("supervisor"));         // H2 file, migrated, pooled
             JdbcTable<String, Worker> table = JdbcTable.builder(db, row -> new Worker(row.key(), row.payload())).build();
             StatusWriter<String> status = StatusWriter.<String>builder(db).build();
             Supervisor<String, Worker> supervisor = Supervisor.builder(table).listener(status).build()) {
            supervisor.launch();
            table.put("mailer", "queue=mail");   // starts "mailer" at once
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()   // until it is RUNNING
                    .until(() -> supervisor.get("mailer").payload().equals("queue=mail"));
            table.remove("mailer");              // retires it
            await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.keys().isEmpty());
        }
        // docs: end
    }
}
