package dev.supervisor.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.ProcessContext;
import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testsupport.Waits;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The README's embedding example, compiled and run so that it stays true. */
class EmbeddingExampleTest {

    // docs: embedding
    /** One worker per row: the row's value is the worker. */
    record Poller(String queue, AtomicInteger polls) implements Runner {
        @Override
        public void run(ProcessContext context) throws InterruptedException {
            context.ready();                                    // start(key) returns now
            while (!context.awaitStop(Duration.ofMillis(100))) { // until the row is deleted or we close
                polls.incrementAndGet();                        // ... poll the queue ...
            }
        }
    }

    void embed() throws Exception {
        InMemoryTable<String, Poller> table = new InMemoryTable<>(); // or a JdbcTable
        table.put("orders", new Poller("orders", new AtomicInteger()));

        try (Supervisor<String, Poller> supervisor = Supervisor.builder(table)
                .reconcileInterval(Duration.ofSeconds(30))
                .stopTimeout(Duration.ofSeconds(10))
                .build()) {
            supervisor.launch();                                 // "orders" is running
            table.put("invoices", new Poller("invoices", new AtomicInteger())); // starts at once
            table.remove("orders");                              // stops gracefully
        }                                                        // close(): stops everything
    }
    // docs: end

    @Test
    void theExampleRunsAsTheReadmeSays() throws Exception {
        InMemoryTable<String, Poller> table = new InMemoryTable<>();
        AtomicInteger polls = new AtomicInteger();
        table.put("orders", new Poller("orders", polls));
        try (Supervisor<String, Poller> supervisor = Supervisor.builder(table).build()) {
            supervisor.launch();
            assertThat(supervisor.keys()).containsExactly("orders");
            table.put("invoices", new Poller("invoices", new AtomicInteger()));
            await().atMost(Waits.SHORT).until(() -> supervisor.keys().contains("invoices"));
            await().atMost(Waits.SHORT).until(() -> polls.get() > 0);
            table.remove("orders");
            await().atMost(Waits.SHORT).until(() -> !supervisor.keys().contains("orders"));
        }
        embed();
    }
}
