package dev.supervisor.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import dev.supervisor.RestartPolicy;
import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.SupervisorListener;
import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.jdbc.LeaseOwnership;
import dev.supervisor.jdbc.RowDecoder;
import dev.supervisor.jdbc.StatusWriter;
import dev.supervisor.micrometer.SupervisorMetrics;
import dev.supervisor.spring.boot.actuate.SupervisorEndpoint;
import dev.supervisor.spring.boot.actuate.SupervisorEndpointAutoConfiguration;
import dev.supervisor.spring.boot.app.Workers;
import dev.supervisor.spring.boot.app.Workers.Worker;
import dev.supervisor.spring.boot.web.SupervisorWebAutoConfiguration;
import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testsupport.Waits;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The auto-configuration's conditions and what each property defines, on H2 with ApplicationContextRunner. */
@ExtendWith(OutputCaptureExtension.class)
class SupervisorAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, SupervisorAutoConfiguration.class,
                    MissingDataSourceAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    @Configuration(proxyBeanMethods = false)
    static class Decoder {
        @Bean
        Workers workers() {
            return new Workers();
        }

        @Bean
        RowDecoder<String, Worker> workerDecoder(Workers workers) {
            return row -> workers.worker(row.key());
        }
    }

    @Test
    void aDataSourceAndARowDecoderGetARunningSupervisorWithItsTableAndStatusWriter() {
        runner.withUserConfiguration(Decoder.class).run(context -> {
            assertThat(context).hasSingleBean(Supervisor.class).hasSingleBean(JdbcTable.class)
                    .hasSingleBean(StatusWriter.class).hasSingleBean(SupervisorLifecycle.class)
                    .doesNotHaveBean(LeaseOwnership.class).doesNotHaveBean(SupervisorMetrics.class)
                    .doesNotHaveBean(MissingDataSourceAutoConfiguration.MissingDataSource.class);
            assertThat(context.getBean(Supervisor.class).isLaunched()).as("launched once the context started").isTrue();
            assertThat(context.getBean(SupervisorSchema.class).migrationsApplied()).isPositive();
        });
    }

    @Test
    void withoutARowDecoderOrADataSourceNothingIsDefined() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Supervisor.class)
                .doesNotHaveBean(SupervisorSchema.class));
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SupervisorAutoConfiguration.class))
                .withUserConfiguration(Decoder.class)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Supervisor.class));
    }

    @Test
    void aRowDecoderWithoutADataSourceLogsOneWarningNamingWhatIsMissing(CapturedOutput output) {
        ApplicationContextRunner withoutDataSource = new ApplicationContextRunner().withUserConfiguration(Decoder.class)
                .withConfiguration(AutoConfigurations.of(SupervisorAutoConfiguration.class, MissingDataSourceAutoConfiguration.class));
        withoutDataSource.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Supervisor.class));
        assertThat(output.getOut().split("No supervisor is configured", -1)).as("one warning").hasSize(2);
        assertThat(output.getOut()).contains("WARN", "RowDecoder bean(s) [workerDecoder] but no javax.sql.DataSource bean",
                "set spring.datasource.url");

        withoutDataSource.withClassLoader(new FilteredClassLoader(DataSourceAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Supervisor.class));
        assertThat(output.getOut()).contains("(spring-boot-jdbc) is not on the class path: add "
                + "org.springframework.boot:spring-boot-starter-jdbc");
        withoutDataSource.withPropertyValues("supervisor.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(MissingDataSourceAutoConfiguration.MissingDataSource.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class OtherDecoder {
        @Bean
        RowDecoder<String, String> notARunner() {
            return row -> row.payload();
        }
    }

    @Test
    void aRowDecoderOfSomethingElseThanARunnerDoesNotCount() {
        runner.withUserConfiguration(OtherDecoder.class).run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(Supervisor.class));
    }

    @Test
    void enabledFalseDefinesNothing() {
        runner.withUserConfiguration(Decoder.class).withPropertyValues("supervisor.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(Supervisor.class).doesNotHaveBean(JdbcTable.class)
                        .doesNotHaveBean(StatusWriter.class).doesNotHaveBean(SupervisorSchema.class)
                        .doesNotHaveBean(SupervisorLifecycle.class).doesNotHaveBean(SupervisorProperties.class));
    }

    @Test
    void migrateFalseLeavesTheSchemaAloneAndTheHealthSaysWhyItIsDown() {
        runner.withUserConfiguration(Decoder.class).withPropertyValues("supervisor.migrate=false",
                "supervisor.status.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(SupervisorSchema.class).migrationsApplied()).isZero();
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'SUPERVISOR_PROCESSES'",
                    Long.class)).isZero();
            var health = context.getBean(SupervisorHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("reason").toString()).contains("last reconcile pass failed");
        });
    }

    @Test
    void propertiesReachTheBeans() {
        runner.withUserConfiguration(Decoder.class).withPropertyValues("supervisor.table=billing.jobs")
                .run(context -> assertThat(context.getBean(JdbcTable.class).table().toString()).isEqualTo("billing.jobs"));
        runner.withUserConfiguration(Decoder.class).withPropertyValues("supervisor.status.enabled=false",
                "supervisor.cluster.enabled=true", "supervisor.name=billing").run(context -> {
            assertThat(context).doesNotHaveBean(StatusWriter.class).hasSingleBean(LeaseOwnership.class);
            assertThat(context.getBean(Supervisor.class).name()).isEqualTo("billing");
            assertThat(context.getBean(Supervisor.class).toString()).contains("billing");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Customized {
        final List<Object> events = new CopyOnWriteArrayList<>();

        @Bean
        SupervisorBuilderCustomizer customizer() {
            return builder -> builder.restartPolicy(RestartPolicy.DEFAULT.withGiveUp(1, Duration.ofMinutes(1)))
                    .listener(new SupervisorListener<Object>() {
                        @Override
                        public void passCompleted(dev.supervisor.PassReport<Object> report) {
                            events.add(report);
                        }
                    });
        }
    }

    @Test
    void customizersAndListenerBeansReachTheBuilder() {
        runner.withUserConfiguration(Decoder.class, Customized.class).run(context -> {
            Customized customized = context.getBean(Customized.class);
            await().atMost(Waits.DATABASE).until(() -> !customized.events.isEmpty());
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnSupervisor {
        @Bean
        Supervisor<String, Runner> mySupervisor() {
            return Supervisor.builder(new InMemoryTable<String, Runner>()).name("mine").build();
        }
    }

    @Test
    void theApplicationsOwnSupervisorWins() {
        runner.withUserConfiguration(Decoder.class, OwnSupervisor.class).run(context -> {
            assertThat(context).hasSingleBean(Supervisor.class);
            assertThat(context.getBean(Supervisor.class).name()).isEqualTo("mine");
            assertThat(context.getBean(Supervisor.class).isLaunched()).isTrue();
        });
    }

    @Test
    void withAMeterRegistryTheMetersAreBound() {
        runner.withUserConfiguration(Decoder.class)
                .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(SupervisorMetrics.class);
                    var registry = context.getBean(io.micrometer.core.instrument.MeterRegistry.class);
                    await().atMost(Waits.DATABASE).until(() -> registry.find(SupervisorMetrics.PASSES)
                            .tag("outcome", "success").timers().stream().anyMatch(t -> t.count() > 0));
                });
    }

    @Test
    void theEndpointExistsOnlyOnceExposedAndThePageOnlyOnceEnabled() {
        ApplicationContextRunner actuator = runner.withUserConfiguration(Decoder.class)
                .withConfiguration(AutoConfigurations.of(SupervisorEndpointAutoConfiguration.class));
        actuator.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SupervisorEndpoint.class));
        actuator.withPropertyValues("management.endpoints.web.exposure.include=supervisor")
                .run(context -> assertThat(context).hasSingleBean(SupervisorEndpoint.class));

        WebApplicationContextRunner web = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, SupervisorAutoConfiguration.class,
                        SupervisorWebAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .withUserConfiguration(Decoder.class);
        web.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("supervisorStatusPage"));
        web.withPropertyValues("supervisor.web.enabled=true").run(context -> assertThat(context).hasBean("supervisorStatusPage"));
        web.withPropertyValues("supervisor.web.enabled=true", "supervisor.web.path=ops").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("supervisor.web.path must be a path such as /supervisor"));
    }

    @Test
    void closingTheContextStopsEveryRunner() {
        Workers[] workers = new Workers[1];
        runner.withUserConfiguration(Decoder.class).run(context -> {
            workers[0] = context.getBean(Workers.class);
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            for (int i = 0; i < 5; i++) {
                jdbc.update("INSERT INTO supervisor_processes (name, payload) VALUES (?, '{}')", "w" + i);
            }
            await().atMost(Waits.DATABASE).until(() -> workers[0].running().size() == 5);
        });
        assertThat(workers[0].running()).as("every runner ended when the context closed").isEmpty();
    }

    @Test
    void theHealthIsDownWhenTheSupervisorIsNotLaunched() {
        Supervisor<String, Runner> idle = Supervisor.builder(new InMemoryTable<String, Runner>()).build();
        assertThat(new SupervisorHealthIndicator(idle).health().getStatus()).isEqualTo(Status.DOWN);
        idle.launch();
        await().atMost(Waits.DATABASE).until(() -> idle.lastPass().isPresent());
        assertThat(new SupervisorHealthIndicator(idle).health().getStatus()).isEqualTo(Status.UP);
        idle.close();
        assertThat(new SupervisorHealthIndicator(idle).health().getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void theMetadataListsEveryPropertyWithTheLibrarysDefaults() throws Exception {
        Map<String, Object> expected = new HashMap<>(Map.of("supervisor.enabled", true, "supervisor.migrate", true,
                "supervisor.table", JdbcTable.DEFAULT_TABLE, "supervisor.reconcile-interval", "60s",
                "supervisor.stop-timeout", "15s", "supervisor.status.enabled", true, "supervisor.cluster.enabled", false,
                "supervisor.name", "supervisor", "supervisor.web.enabled", false, "supervisor.web.path", "/supervisor"));
        expected.put("supervisor.node", null); // pid@host, computed
        expected.put("supervisor.observations.enabled", true);
        expected.put("management.endpoint.supervisor.access", "unrestricted"); // the endpoint's, as for every endpoint
        expected.put("management.endpoint.supervisor.cache.time-to-live", "0ms");
        assertThat(Supervisor.DEFAULT_RECONCILE_INTERVAL).isEqualTo(Duration.ofSeconds(60));
        assertThat(Supervisor.DEFAULT_STOP_TIMEOUT).isEqualTo(Duration.ofSeconds(15));
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            List<Map<String, Object>> properties = JsonPath.read(in, "$.properties[*]");
            Map<String, Object> actual = new HashMap<>();
            properties.forEach(p -> actual.put((String) p.get("name"), p.get("defaultValue")));
            assertThat(actual).isEqualTo(expected);
        }
    }
}
