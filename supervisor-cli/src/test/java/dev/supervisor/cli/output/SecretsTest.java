package dev.supervisor.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void masksPasswordsInUrlsAndKnownSecretsAnywhere() {
        Secrets secrets = Secrets.of("s3cret!", null);
        assertThat(secrets.mask("jdbc:postgresql://db:5432/app?user=app&password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/app?user=app&password=***&ssl=true");
        assertThat(secrets.mask("jdbc:h2:tcp://host/db;USER=sa;PASSWORD=pw;TRACE_LEVEL_FILE=0"))
                .isEqualTo("jdbc:h2:tcp://host/db;USER=sa;PASSWORD=***;TRACE_LEVEL_FILE=0");
        assertThat(secrets.mask("postgresql://app:hunter2@db/app")).isEqualTo("postgresql://app:***@db/app");
        assertThat(secrets.mask("FATAL: password s3cret! rejected")).isEqualTo("FATAL: password *** rejected");
        assertThat(secrets.mask(null)).isNull();
    }
}
