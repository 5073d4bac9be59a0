package dev.supervisor.spring.boot;

import dev.supervisor.Runner;
import dev.supervisor.Supervisor;

/**
 * Sets on the auto-configured supervisor's builder what the {@code supervisor.*} properties do not:
 * restart policy, start timeout, listeners, clock. Every bean of this type is applied, in
 * {@link org.springframework.core.annotation.Order} order, after the properties (so it may
 * override them) and before {@code build()}.
 *
 * <pre>{@code
 * @Bean
 * SupervisorBuilderCustomizer restartPolicy() {
 *     return builder -> builder.restartPolicy(RestartPolicy.DEFAULT.withGiveUp(5, Duration.ofMinutes(1)));
 * }
 * }</pre>
 *
 * <p>Renaming the supervisor here leaves the meters' {@code name} tag at {@code supervisor.name}:
 * set the property instead.
 */
@FunctionalInterface
public interface SupervisorBuilderCustomizer {

    /** Customizes the builder; called once, on the thread creating the context. */
    void customize(Supervisor.Builder<String, ? extends Runner> builder);
}
