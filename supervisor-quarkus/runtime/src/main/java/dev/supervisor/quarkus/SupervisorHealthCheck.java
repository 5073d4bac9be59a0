package dev.supervisor.quarkus;

import dev.supervisor.KeyState;
import dev.supervisor.PassReport;
import dev.supervisor.ProcessStatus;
import dev.supervisor.Supervisor;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * The readiness check {@value #NAME} (under {@code /q/health/ready}): UP while the supervisor is
 * launched and its last full reconcile pass read the whole table; DOWN before launch, once
 * closing, before the first pass ended, and while passes fail (the database unreachable, the table
 * missing), with a {@code reason}. Its data: {@code name}, {@code launched}, the number of keys per
 * state as {@code processes.STATE} (lower case, as the meters tag them), and the last pass's
 * {@code lastPass.startedAt}, {@code lastPass.rowsSeen}, {@code lastPass.complete}. It reads
 * snapshots only: it never blocks and never touches the database. A key in {@code backoff} or
 * {@code given_up} does not make it DOWN (that is the key's business, not the supervisor's).
 */
public final class SupervisorHealthCheck implements HealthCheck {

    /** The check's name. */
    public static final String NAME = "supervisor";

    private final Supervisor<?, ?> supervisor;

    /** The readiness of {@code supervisor}. */
    public SupervisorHealthCheck(Supervisor<?, ?> supervisor) {
        this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
    }

    @Override
    public HealthCheckResponse call() {
        Optional<? extends PassReport<?>> lastPass = supervisor.lastPass();
        boolean launched = supervisor.isLaunched();
        boolean up = launched && lastPass.map(PassReport::complete).orElse(false);
        HealthCheckResponseBuilder health = HealthCheckResponse.named(NAME).status(up)
                .withData("name", supervisor.name()).withData("launched", launched);
        long[] counts = new long[KeyState.values().length];
        for (ProcessStatus<?> status : supervisor.statuses().values()) {
            counts[status.state().ordinal()]++;
        }
        for (KeyState state : KeyState.values()) {
            health.withData("processes." + state.name().toLowerCase(Locale.ROOT), counts[state.ordinal()]);
        }
        lastPass.ifPresent(pass -> health.withData("lastPass.startedAt", pass.startedAt().toString())
                .withData("lastPass.rowsSeen", pass.rowsSeen()).withData("lastPass.complete", pass.complete()));
        if (!up) {
            health.withData("reason", !launched ? "not launched (or closing)"
                    : lastPass.isEmpty() ? "no reconcile pass has ended yet"
                    : "the last reconcile pass failed: " + lastPass.get().failure().map(Throwable::getMessage).orElse("?"));
        }
        return health.build();
    }
}
