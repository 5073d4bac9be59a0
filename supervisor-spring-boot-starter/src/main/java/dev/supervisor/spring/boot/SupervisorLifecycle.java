package dev.supervisor.spring.boot;

import dev.supervisor.Supervisor;
import java.util.Objects;
import org.springframework.context.SmartLifecycle;

/**
 * Launches the supervisor once the application context has started (after every other bean is
 * ready: the last phase) and closes it first when the context stops, so every process has ended
 * before the data source and the rest of the application go away. It drives whichever
 * {@code Supervisor} bean the context has, the application's own included: do not launch that one
 * yourself ({@code launch()} may be called once). Not restartable: a supervisor, once closed, stays closed.
 */
public final class SupervisorLifecycle implements SmartLifecycle {

    private final Supervisor<?, ?> supervisor;
    private volatile boolean running;

    /** Drives {@code supervisor}. */
    public SupervisorLifecycle(Supervisor<?, ?> supervisor) {
        this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
    }

    /** Launches the supervisor: restores the table's processes, then reconciles in the background. */
    @Override
    public void start() {
        supervisor.launch();
        running = true;
    }

    /** Closes the supervisor: stops every process and waits for them (each within the stop timeout). */
    @Override
    public void stop() {
        running = false;
        supervisor.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
