package dev.supervisor.sample;

import dev.supervisor.RestartPolicy;
import dev.supervisor.spring.boot.SupervisorBuilderCustomizer;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Optional: what the supervisor.* properties do not set. */
@Configuration(proxyBeanMethods = false)
class SampleCustomization {

    // docs: sample-customizer
    @Bean
    SupervisorBuilderCustomizer restartPolicy() {
        return builder -> builder.restartPolicy(RestartPolicy.DEFAULT.withGiveUp(5, Duration.ofMinutes(1)));
    }
    // docs: end
}
