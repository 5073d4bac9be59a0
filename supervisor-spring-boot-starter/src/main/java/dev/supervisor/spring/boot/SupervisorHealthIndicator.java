package dev.supervisor.spring.boot;

import dev.supervisor.KeyState;
import dev.supervisor.PassReport;
import dev.supervisor.ProcessStatus;
import dev.supervisor.Supervisor;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The actuator health of a supervisor (contributor {@code supervisor}): UP while it is launched and
 * its last full reconcile pass read the whole table; DOWN before launch, after close, before the
 * first pass ended, and while passes fail (the database is unreachable, for instance). Details:
 * {@code processes}, the number of keys per state (lower case, as the meters tag them), and
 * {@code lastPass}, when the last pass began, how many rows it saw, whether it was complete.
 * Reads only snapshots: never blocks, never touches the database.
 */
public final class SupervisorHealthIndicator implements HealthIndicator {

    private final Supervisor<?, ?> supervisor;

    /** The health of {@code supervisor}. */
    public SupervisorHealthIndicator(Supervisor<?, ?> supervisor) {
        this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
    }

    @Override
    public Health health() {
        Optional<? extends PassReport<?>> lastPass = supervisor.lastPass();
        boolean up = supervisor.isLaunched() && lastPass.map(PassReport::complete).orElse(false);
        Health.Builder health = up ? Health.up() : Health.down();
        health.withDetail("name", supervisor.name()).withDetail("launched", supervisor.isLaunched())
                .withDetail("processes", processesPerState());
        lastPass.ifPresent(pass -> health.withDetail("lastPass", Map.of(
                "startedAt", pass.startedAt().toString(),
                "rowsSeen", pass.rowsSeen(),
                "complete", pass.complete())));
        if (!up) {
            health.withDetail("reason", !supervisor.isLaunched() ? "not launched (or closing)"
                    : lastPass.isEmpty() ? "no reconcile pass has ended yet"
                    : "the last reconcile pass failed: " + lastPass.get().failure().map(Throwable::getMessage).orElse("?"));
        }
        return health.build();
    }

    private Map<String, Long> processesPerState() {
        Map<String, Long> counts = new TreeMap<>();
        for (KeyState state : KeyState.values()) {
            counts.put(state.name().toLowerCase(Locale.ROOT), 0L);
        }
        for (ProcessStatus<?> status : supervisor.statuses().values()) {
            counts.merge(status.state().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
        }
        return counts;
    }
}
