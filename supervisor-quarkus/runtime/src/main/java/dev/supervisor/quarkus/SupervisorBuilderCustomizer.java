package dev.supervisor.quarkus;

import dev.supervisor.Runner;
import dev.supervisor.Supervisor;

/**
 * Sets on the extension's supervisor builder what the {@code quarkus.supervisor.*} properties do
 * not: restart policy, start timeout, listeners, clock. Every CDI bean of this type is applied, in
 * the order of their {@code @Priority} (highest first), after the properties (so it may override
 * them) and before {@code build()}.
 *
 * <pre>{@code
 * @Produces
 * SupervisorBuilderCustomizer restartPolicy() {
 *     return builder -> builder.restartPolicy(RestartPolicy.DEFAULT.withGiveUp(5, Duration.ofMinutes(1)));
 * }
 * }</pre>
 *
 * <p>Renaming the supervisor here leaves the meters' {@code name} tag at
 * {@code quarkus.supervisor.name}: set the property instead.
 */
@FunctionalInterface
public interface SupervisorBuilderCustomizer {

    /** Customizes the builder; called once, when the supervisor bean is created at start-up. */
    void customize(Supervisor.Builder<String, ? extends Runner> builder);
}
