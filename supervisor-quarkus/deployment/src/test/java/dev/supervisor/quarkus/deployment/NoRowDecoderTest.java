package dev.supervisor.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.Supervisor;
import dev.supervisor.quarkus.SupervisorSchema;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Without a RowDecoder bean the application starts, with no supervisor and nothing migrated. */
class NoRowDecoderTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:no-row-decoder;DB_CLOSE_DELAY=-1");

    @Inject
    @Any
    Instance<Supervisor<?, ?>> supervisors;
    @Inject
    Instance<SupervisorSchema> schema;

    @Test
    void noSupervisorIsDefined() {
        assertThat(supervisors.isUnsatisfied()).isTrue();
        assertThat(schema.isUnsatisfied()).isTrue();
    }
}
