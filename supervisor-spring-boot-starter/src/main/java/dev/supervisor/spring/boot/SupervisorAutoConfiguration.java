package dev.supervisor.spring.boot;

import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.SupervisorListener;
import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.jdbc.LeaseOwnership;
import dev.supervisor.jdbc.RowDecoder;
import dev.supervisor.jdbc.StatusWriter;
import dev.supervisor.micrometer.JdbcMetrics;
import dev.supervisor.micrometer.SupervisorMetrics;
import dev.supervisor.micrometer.SupervisorObservations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of a supervisor on the application's {@link DataSource}. Active when the
 * application has a {@code DataSource} bean and a {@code RowDecoder<String, ? extends Runner>}
 * bean, unless {@code supervisor.enabled=false}. Defines, each unless the application defines one
 * of the type itself: the migrated schema, a {@link JdbcTable} ({@code supervisorTable}), a
 * {@link StatusWriter} ({@code supervisor.status.enabled}), a {@link LeaseOwnership}
 * ({@code supervisor.cluster.enabled}), the {@link Supervisor} ({@code supervisor}), launched by
 * {@link SupervisorLifecycle} once the context has started; with Spring Boot's health support the
 * {@code supervisor} health contributor, with a {@link MeterRegistry} the meters of
 * {@link SupervisorMetrics} and {@link JdbcMetrics}, and with an {@link ObservationRegistry} the
 * observations of {@link SupervisorObservations}.
 *
 * <p>Every {@link SupervisorListener} bean is registered on the supervisor (the status writer and
 * the metrics are such beans), then every {@link SupervisorBuilderCustomizer} is applied.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "supervisor.enabled", matchIfMissing = true)
@ConditionalOnBean(DataSource.class)
@Conditional(OnRowDecoderCondition.class)
@EnableConfigurationProperties(SupervisorProperties.class)
public class SupervisorAutoConfiguration {

    /**
     * After the application's own database initialization (its Flyway, Liquibase or SQL scripts),
     * so that on a first start those find the empty schema they expect.
     */
    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    SupervisorSchema supervisorSchema(DataSource dataSource, SupervisorProperties properties) {
        return SupervisorSchema.migrate(dataSource, properties.isMigrate());
    }

    @Bean
    @ConditionalOnMissingBean(JdbcTable.class)
    <P extends Runner> JdbcTable<String, P> supervisorTable(DataSource dataSource, RowDecoder<String, P> decoder,
            SupervisorSchema schema, SupervisorProperties properties) {
        return JdbcTable.builder(dataSource, decoder).table(properties.getTable()).build();
    }

    @Bean
    @ConditionalOnMissingBean
    SupervisorNode supervisorNode(SupervisorProperties properties) {
        return SupervisorNode.named(properties.getNode());
    }

    @Bean
    @ConditionalOnMissingBean(StatusWriter.class)
    @ConditionalOnBooleanProperty(name = "supervisor.status.enabled", matchIfMissing = true)
    StatusWriter<String> supervisorStatusWriter(DataSource dataSource, SupervisorSchema schema, SupervisorNode node) {
        return StatusWriter.<String>builder(dataSource).node(node.name()).build();
    }

    @Bean(destroyMethod = "") // the supervisor opens and closes its ownership
    @ConditionalOnMissingBean(LeaseOwnership.class)
    @ConditionalOnBooleanProperty(name = "supervisor.cluster.enabled")
    LeaseOwnership<String> supervisorLeaseOwnership(JdbcTable<String, ?> table, SupervisorNode node) {
        return LeaseOwnership.builder(table).nodeName(node.name()).build();
    }

    @Bean
    @ConditionalOnMissingBean(Supervisor.class)
    @SuppressWarnings({"unchecked", "rawtypes"})
    <P extends Runner> Supervisor<String, P> supervisor(JdbcTable<String, P> table, SupervisorProperties properties,
            ObjectProvider<LeaseOwnership<String>> ownership, ObjectProvider<SupervisorListener<?>> listeners,
            ObjectProvider<SupervisorBuilderCustomizer> customizers) {
        Supervisor.Builder<String, P> builder = Supervisor.builder(table).name(properties.getName())
                .reconcileInterval(properties.getReconcileInterval()).stopTimeout(properties.getStopTimeout());
        ownership.ifAvailable(builder::ownership);
        listeners.orderedStream().forEach(listener -> builder.listener((SupervisorListener) listener));
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    SupervisorLifecycle supervisorLifecycle(Supervisor<?, ?> supervisor) {
        return new SupervisorLifecycle(supervisor);
    }

    /** The {@code supervisor} health contributor, with Spring Boot's health support on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnEnabledHealthIndicator("supervisor")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "supervisorHealthIndicator")
        SupervisorHealthIndicator supervisorHealthIndicator(Supervisor<?, ?> supervisor) {
            return new SupervisorHealthIndicator(supervisor);
        }
    }

    /**
     * The observations of attempts and passes ({@link SupervisorObservations}), when the application
     * has an {@link ObservationRegistry} (Spring Boot's, with the actuator): timers, and spans when
     * tracing is on. Off with {@code supervisor.observations.enabled=false}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ObservationRegistry.class)
    @ConditionalOnBean(ObservationRegistry.class)
    @ConditionalOnBooleanProperty(name = "supervisor.observations.enabled", matchIfMissing = true)
    static class ObservationConfiguration {

        @Bean
        @ConditionalOnMissingBean
        SupervisorObservations supervisorObservations(SupervisorProperties properties, ObservationRegistry registry) {
            return new SupervisorObservations(properties.getName(), registry);
        }
    }

    /** The meters, when the application has a {@link MeterRegistry}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        SupervisorMetrics supervisorMetrics(SupervisorProperties properties) {
            return new SupervisorMetrics(properties.getName());
        }

        @Bean
        @ConditionalOnMissingBean
        JdbcMetrics supervisorJdbcMetrics(SupervisorProperties properties, JdbcTable<String, ?> table,
                ObjectProvider<StatusWriter<String>> status) {
            StatusWriter<String> writer = status.getIfAvailable();
            return writer == null ? new JdbcMetrics(properties.getName(), table)
                    : new JdbcMetrics(properties.getName(), table, writer);
        }
    }
}
