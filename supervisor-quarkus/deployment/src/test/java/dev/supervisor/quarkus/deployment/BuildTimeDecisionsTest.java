package dev.supervisor.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.Supervisor;
import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.jdbc.LeaseOwnership;
import dev.supervisor.jdbc.StatusWriter;
import dev.supervisor.quarkus.deployment.Workers.Worker;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The properties that decide at build time which beans exist, and the run-time ones that reach them. */
class BuildTimeDecisionsTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Workers.class, Worker.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:build-time-decisions;DB_CLOSE_DELAY=-1")
            .overrideConfigKey("quarkus.supervisor.status.enabled", "false")
            .overrideConfigKey("quarkus.supervisor.cluster.enabled", "true")
            .overrideConfigKey("quarkus.supervisor.name", "billing");

    @Inject
    Supervisor<String, Worker> supervisor;
    @Inject
    JdbcTable<String, Worker> table;
    @Inject
    Instance<StatusWriter<String>> statusWriter;
    @Inject
    Instance<LeaseOwnership<String>> leaseOwnership;

    @Test
    void statusOffClusterOnAndTheNameReachTheBeans() {
        assertThat(statusWriter.isUnsatisfied()).as("quarkus.supervisor.status.enabled=false").isTrue();
        assertThat(leaseOwnership.isResolvable()).as("quarkus.supervisor.cluster.enabled=true").isTrue();
        assertThat(supervisor.name()).isEqualTo("billing");
        assertThat(supervisor.isLaunched()).isTrue();
    }
}
