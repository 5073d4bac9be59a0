package dev.supervisor.spring.boot.actuate;

import dev.supervisor.Supervisor;
import dev.supervisor.spring.boot.SupervisorAutoConfiguration;
import dev.supervisor.spring.boot.SupervisorNode;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The actuator endpoint {@code supervisor} ({@link SupervisorEndpoint}), with Spring Boot's
 * actuator on the class path, when the endpoint is available (access not {@code none}, and
 * exposed over HTTP or JMX).
 */
@AutoConfiguration(after = SupervisorAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(Supervisor.class)
@ConditionalOnAvailableEndpoint(SupervisorEndpoint.class)
public class SupervisorEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SupervisorEndpoint supervisorEndpoint(Supervisor<String, ?> supervisor, SupervisorNode node) {
        return new SupervisorEndpoint(supervisor, node.name());
    }

    @Bean
    @ConditionalOnMissingBean
    SupervisorEndpointWebExtension supervisorEndpointWebExtension(SupervisorEndpoint endpoint) {
        return new SupervisorEndpointWebExtension(endpoint);
    }
}
