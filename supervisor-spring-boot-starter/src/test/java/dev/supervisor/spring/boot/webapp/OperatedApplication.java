package dev.supervisor.spring.boot.webapp;

import static org.springframework.security.config.Customizer.withDefaults;

import dev.supervisor.jdbc.RowDecoder;
import dev.supervisor.spring.boot.actuate.SupervisorEndpoint;
import dev.supervisor.spring.boot.app.Workers;
import dev.supervisor.spring.boot.app.Workers.Worker;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * An application that operators steer: the actuator endpoint and the status page, behind the
 * Spring Security rule docs/spring-boot.md shows; users {@code ops} (role OPERATOR) and {@code dev}
 * (role USER), both with the password {@link #PASSWORD}.
 */
@SpringBootApplication
public class OperatedApplication {

    public static final String PASSWORD = "correct horse battery staple";

    @Bean
    Workers workers() {
        return new Workers();
    }

    @Bean
    RowDecoder<String, Worker> workerDecoder(Workers workers) {
        return row -> workers.worker(row.key());
    }

    // docs: security
    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                        .requestMatchers(EndpointRequest.to(SupervisorEndpoint.class)).hasRole("OPERATOR")
                        .requestMatchers("/supervisor/**").hasRole("OPERATOR")
                        .anyRequest().authenticated())
                .formLogin(withDefaults())
                .httpBasic(withDefaults())
                // the endpoint's write operations take JSON, which no form of another site can send
                .csrf(csrf -> csrf.ignoringRequestMatchers(EndpointRequest.to(SupervisorEndpoint.class)));
        return http.build();
    }
    // docs: end

    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("ops").password("{noop}" + PASSWORD).roles("OPERATOR").build(),
                User.withUsername("dev").password("{noop}" + PASSWORD).roles("USER").build());
    }
}
