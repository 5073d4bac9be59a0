package dev.supervisor.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.jdbc.RowDecoder;
import dev.supervisor.quarkus.deployment.Workers.Worker;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two RowDecoder beans: the build fails, naming both, instead of the application failing at start-up. */
class TwoRowDecodersTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Workers.class, Worker.class, SecondDecoder.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:two-row-decoders;DB_CLOSE_DELAY=-1")
            .assertException(e -> assertThat(rootCause(e)).hasMessageContaining("exactly one bean of type RowDecoder")
                    .hasMessageContaining("found 2"));

    @Singleton
    static class SecondDecoder {
        @Produces
        @Named("second")
        RowDecoder<String, Worker> second(Workers workers) {
            return row -> workers.workers().decode(row);
        }
    }

    @Test
    void theBuildFails() {
        // assertException above
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
