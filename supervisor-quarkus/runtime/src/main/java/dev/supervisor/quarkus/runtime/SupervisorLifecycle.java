package dev.supervisor.quarkus.runtime;

import dev.supervisor.Supervisor;
import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.jdbc.StatusWriter;
import dev.supervisor.quarkus.SupervisorSchema;
import io.quarkus.arc.All;
import io.quarkus.arc.InjectableBean;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches the supervisor once the application has started (after the application's own start-up
 * observers, and after {@code quarkus-flyway} migrated its schema) and closes it first when the
 * application stops, so that every process has ended before the datasource and the rest of the
 * application go away; then the extension's status writer (its last statuses flushed) and table.
 * It drives whichever {@code Supervisor} bean the application has, its own included: do not launch
 * that one yourself ({@code launch()} may be called once). It does nothing when the build defined
 * no supervisor (no {@code RowDecoder} bean).
 */
@Singleton
public class SupervisorLifecycle {

    /** After the application's start-up observers (default priority {@code APPLICATION + 500}). */
    public static final int LAUNCH_PRIORITY = Interceptor.Priority.PLATFORM_AFTER + 500;
    /** Before the application's and the platform's shutdown observers. */
    static final int CLOSE_PRIORITY = Interceptor.Priority.PLATFORM_BEFORE;

    private static final Logger LOG = LoggerFactory.getLogger(SupervisorLifecycle.class);

    private final Instance<SupervisorSchema> schema;
    private final Instance<Supervisor<?, ?>> supervisors;
    private final List<InstanceHandle<StatusWriter<?>>> statusWriters;
    private final List<InstanceHandle<JdbcTable<?, ?>>> tables;
    private volatile Supervisor<?, ?> launched;

    @Inject
    SupervisorLifecycle(Instance<SupervisorSchema> schema, @Any Instance<Supervisor<?, ?>> supervisors,
            @All List<InstanceHandle<StatusWriter<?>>> statusWriters, @All List<InstanceHandle<JdbcTable<?, ?>>> tables) {
        this.schema = schema;
        this.supervisors = supervisors;
        this.statusWriters = statusWriters;
        this.tables = tables;
    }

    void launch(@Observes @Priority(LAUNCH_PRIORITY) StartupEvent event) {
        if (schema.isUnsatisfied()) {
            return; // the build defined no supervisor
        }
        Supervisor<?, ?> supervisor = supervisors.get();
        supervisor.launch();
        launched = supervisor;
        LOG.debug("Launched {}", supervisor);
    }

    void close(@Observes @Priority(CLOSE_PRIORITY) ShutdownEvent event) {
        Supervisor<?, ?> supervisor = launched;
        if (supervisor == null) {
            return;
        }
        launched = null;
        supervisor.close();
        // The extension's own (synthetic) beans, while the datasource is open: their destroyers would run
        // in no particular order with the datasource's. The application's own beans are the application's.
        statusWriters.stream().filter(SupervisorLifecycle::extensions).forEach(handle -> handle.get().close());
        tables.stream().filter(SupervisorLifecycle::extensions).forEach(handle -> handle.get().close());
    }

    /** Whether this handle's bean is one the extension defined, and its instance exists. */
    private static boolean extensions(InstanceHandle<?> handle) {
        InjectableBean<?> bean = handle.getBean();
        return bean.getKind() == InjectableBean.Kind.SYNTHETIC && bean.getImplementationClass() != null
                && bean.getImplementationClass().getName().startsWith("dev.supervisor.");
    }

    /** The supervisor this lifecycle launched and has not closed yet, or null. */
    Supervisor<?, ?> launched() {
        return launched;
    }
}
