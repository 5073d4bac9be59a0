package dev.supervisor.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/quarkus-config.md is the configuration reference that quarkus-config-doc-maven-plugin
 * generates from the config roots and their javadoc (in process-classes, before this test): a
 * property or a description changed in the code and not in the docs fails here.
 */
class ConfigReferenceTest {

    private static final Path GENERATED = Path.of("target/quarkus-generated-doc/config/supervisor-quarkus.md");
    private static final Path PUBLISHED = Path.of("../../docs/quarkus-config.md");

    @Test
    void thePublishedReferenceIsTheGeneratedOne() throws IOException {
        assertThat(Files.readString(PUBLISHED))
                .as("docs/quarkus-config.md is out of date: cp supervisor-quarkus/deployment/%s docs/quarkus-config.md", GENERATED)
                .isEqualTo(Files.readString(GENERATED));
    }
}
