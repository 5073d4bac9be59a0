package dev.supervisor.quarkus.deployment;

import dev.supervisor.PassReport;
import dev.supervisor.ProcessContext;
import dev.supervisor.Runner;
import dev.supervisor.SupervisorListener;
import dev.supervisor.jdbc.RowDecoder;
import dev.supervisor.quarkus.SupervisorBuilderCustomizer;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The test applications' beans: a RowDecoder of {@link Worker}s (each in {@link #running()} from
 * ready() until it returns), a SupervisorListener bean that records passes, and a customizer that
 * adds a listener of its own.
 */
@Singleton
public class Workers {

    final Set<String> running = ConcurrentHashMap.newKeySet();
    final List<PassReport<?>> passesHeardByBean = new CopyOnWriteArrayList<>();
    final List<PassReport<?>> passesHeardByCustomizer = new CopyOnWriteArrayList<>();

    @Produces
    RowDecoder<String, Worker> workers() {
        return row -> new Worker(row.key());
    }

    @Produces
    SupervisorListener<String> passes() {
        return new SupervisorListener<>() {
            @Override
            public void passCompleted(PassReport<String> report) {
                passesHeardByBean.add(report);
            }
        };
    }

    @Produces
    SupervisorBuilderCustomizer customizer() {
        return builder -> builder.listener(new SupervisorListener<String>() {
            @Override
            public void passCompleted(PassReport<String> report) {
                passesHeardByCustomizer.add(report);
            }
        });
    }

    Set<String> running() {
        return Set.copyOf(running);
    }

    /** The test applications' process type. */
    public final class Worker implements Runner {
        private final String key;

        Worker(String key) {
            this.key = key;
        }

        @Override
        public void run(ProcessContext context) throws InterruptedException {
            running.add(key);
            try {
                context.ready();
                context.awaitStop();
            } finally {
                running.remove(key);
            }
        }
    }
}
