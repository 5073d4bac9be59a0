package dev.supervisor.sample.quarkus;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sample on the local PostgreSQL, in a schema of its own (see {@link TestPostgres}), dropped
 * when the application stops. Skipped when PostgreSQL is unreachable, unless {@code $CI} is set.
 */
@QuarkusTest
@TestProfile(PostgresSampleApplicationTest.OnPostgres.class)
@ExtendWith(TestPostgres.Reachable.class)
class PostgresSampleApplicationTest extends SampleScenarios {

    /** The datasource's kind is fixed at build time: this profile builds the application for PostgreSQL. */
    public static final class OnPostgres implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.db-kind", "postgresql");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TestPostgres.Schema.class));
        }
    }
}
