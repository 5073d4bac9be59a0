package dev.supervisor.spring.boot.web;

import dev.supervisor.Supervisor;
import dev.supervisor.spring.boot.SupervisorAutoConfiguration;
import dev.supervisor.spring.boot.SupervisorNode;
import dev.supervisor.spring.boot.SupervisorProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The status page inside a Spring MVC application ({@link StatusPageRoutes}), when
 * {@code supervisor.web.enabled=true}.
 */
@AutoConfiguration(after = SupervisorAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnBooleanProperty("supervisor.web.enabled")
@ConditionalOnBean({Supervisor.class, SupervisorProperties.class})
public class SupervisorWebAutoConfiguration {

    @Bean
    RouterFunction<ServerResponse> supervisorStatusPage(Supervisor<String, ?> supervisor, SupervisorNode node,
            SupervisorProperties properties) {
        return new StatusPageRoutes(supervisor, node.name(), properties.getWeb().getPath()).routes();
    }
}
