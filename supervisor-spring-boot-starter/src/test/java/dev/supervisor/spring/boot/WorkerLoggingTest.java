package dev.supervisor.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.supervisor.Runner;
import dev.supervisor.jdbc.RowDecoder;
import dev.supervisor.testsupport.Waits;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What an application's log shows of its workers, through Logback (Spring Boot's) and a list
 * appender: the worker's own lines carry the MDC entries {@code supervisor.key},
 * {@code supervisor.attempt} and, in cluster mode, {@code supervisor.epoch}; and a worker stopped
 * by an update, a pause or a delete of its row gets one INFO line naming the key and why.
 */
class WorkerLoggingTest {

    private static final String WORKER_LOGGER = "test.worker";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, SupervisorAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "supervisor.reconcile-interval=1h")
            .withUserConfiguration(LoggingWorkers.class);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    /** Workers that log one line once running, then wait for their stop. */
    @Configuration(proxyBeanMethods = false)
    static class LoggingWorkers {
        @Bean
        RowDecoder<String, Runner> loggingDecoder() {
            return row -> context -> {
                context.ready();
                LoggerFactory.getLogger(WORKER_LOGGER).info("working on {}", row.payload());
                context.awaitStop();
            };
        }
    }

    @BeforeEach
    void attach() {
        events.start();
        logger(WORKER_LOGGER).addAppender(events);
        logger("dev.supervisor").addAppender(events);
    }

    @AfterEach
    void detach() {
        logger(WORKER_LOGGER).detachAppender(events);
        logger("dev.supervisor").detachAppender(events);
    }

    @Test
    void aWorkersLinesCarryItsKeyAndAttemptAndItsStopsSayWhy() {
        runner.run(context -> {
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            jdbc.update("INSERT INTO supervisor_processes (name, payload) VALUES ('mailer', 'v1')");
            ILoggingEvent first = awaitEvent(e -> e.getFormattedMessage().equals("working on v1"));
            assertThat(first.getMDCPropertyMap()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("supervisor.key", "mailer", "supervisor.attempt", "1"));

            jdbc.update("UPDATE supervisor_processes SET payload = 'v2' WHERE name = 'mailer'");
            awaitEvent(e -> e.getLevel().toString().equals("INFO") && e.getFormattedMessage()
                    .equals("[supervisor] stopping mailer (attempt 1): its row was updated; it starts again at once with the new value"));
            ILoggingEvent second = awaitEvent(e -> e.getFormattedMessage().equals("working on v2"));
            assertThat(second.getMDCPropertyMap()).containsEntry("supervisor.attempt", "2");

            jdbc.update("UPDATE supervisor_processes SET paused = TRUE WHERE name = 'mailer'");
            awaitEvent(e -> e.getFormattedMessage().equals("[supervisor] stopping mailer (attempt 2): its row was paused"));
            jdbc.update("DELETE FROM supervisor_processes WHERE name = 'mailer'");

            jdbc.update("INSERT INTO supervisor_processes (name, payload) VALUES ('billing', 'b1')");
            awaitEvent(e -> e.getFormattedMessage().equals("working on b1"));
            jdbc.update("DELETE FROM supervisor_processes WHERE name = 'billing'");
            awaitEvent(e -> e.getFormattedMessage().equals("[supervisor] stopping billing (attempt 1): its row was deleted"));
        });
    }

    @Test
    void inClusterModeTheyCarryTheEpochToo() {
        runner.withPropertyValues("supervisor.cluster.enabled=true").run(context -> {
            new JdbcTemplate(context.getBean(DataSource.class))
                    .update("INSERT INTO supervisor_processes (name, payload) VALUES ('ledger', 'l1')");
            ILoggingEvent line = awaitEvent(e -> e.getFormattedMessage().equals("working on l1"));
            assertThat(line.getMDCPropertyMap()).containsEntry("supervisor.key", "ledger").containsEntry("supervisor.attempt", "1")
                    .hasEntrySatisfying("supervisor.epoch", epoch -> assertThat(Long.parseLong(epoch)).isPositive());
        });
    }

    private ILoggingEvent awaitEvent(Predicate<ILoggingEvent> wanted) {
        return await().atMost(Waits.DATABASE).until(() -> {
            synchronized (events) { // the appender appends under its own lock
                return List.copyOf(events.list).stream().filter(wanted).findFirst();
            }
        }, found -> found.isPresent()).orElseThrow();
    }

    private static Logger logger(String name) {
        return (Logger) LoggerFactory.getLogger(name);
    }
}
