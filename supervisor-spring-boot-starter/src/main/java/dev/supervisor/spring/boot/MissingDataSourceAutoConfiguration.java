package dev.supervisor.spring.boot;

import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.util.ClassUtils;

/**
 * Says why there is no supervisor when the application defines a {@code RowDecoder} bean but no
 * {@link DataSource} bean: one WARN from {@code dev.supervisor.spring.boot.SupervisorAutoConfiguration}
 * naming the missing piece, instead of the silence of a backed-off auto-configuration.
 */
@AutoConfiguration(after = SupervisorAutoConfiguration.class,
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBooleanProperty(name = "supervisor.enabled", matchIfMissing = true)
@ConditionalOnMissingBean(DataSource.class)
@Conditional(OnRowDecoderCondition.class)
public class MissingDataSourceAutoConfiguration {

    static final String DATA_SOURCE_AUTO_CONFIGURATION = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";
    private static final Logger LOG = LoggerFactory.getLogger(SupervisorAutoConfiguration.class);

    /** Logs the warning once, when the context defines its beans; the bean itself does nothing. */
    @Bean
    MissingDataSource supervisorMissingDataSource(ConfigurableListableBeanFactory beans) {
        MissingDataSource missing = new MissingDataSource(Arrays.asList(
                beans.getBeanNamesForType(OnRowDecoderCondition.ROW_DECODER, true, false)),
                ClassUtils.isPresent(DATA_SOURCE_AUTO_CONFIGURATION, beans.getBeanClassLoader()));
        LOG.warn(missing.message());
        return missing;
    }

    /**
     * What is missing for a supervisor.
     *
     * @param decoders the names of the application's RowDecoder beans
     * @param dataSourceAutoConfigurationPresent whether Spring Boot's DataSource auto-configuration is on the class path
     */
    record MissingDataSource(List<String> decoders, boolean dataSourceAutoConfigurationPresent) {

        String message() {
            return "No supervisor is configured: the application defines RowDecoder bean(s) " + decoders
                    + " but no javax.sql.DataSource bean. " + (dataSourceAutoConfigurationPresent
                    ? "Spring Boot's DataSource auto-configuration defined none (is it excluded?): set spring.datasource.url, "
                            + "or define a DataSource bean."
                    : "Spring Boot's DataSource auto-configuration (spring-boot-jdbc) is not on the class path: add "
                            + "org.springframework.boot:spring-boot-starter-jdbc, or define a DataSource bean.");
        }
    }
}
