package dev.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** {@code --db}: every supported database's URL is taken as it is; any other is a usage error naming the accepted ones. */
class DatabaseUrlTest {

    private final DatabaseTarget.UrlConverter converter = new DatabaseTarget.UrlConverter();

    @Test
    void theUrlsOfEverySupportedDatabaseAreAccepted() {
        for (String url : List.of("jdbc:h2:mem:x", "jdbc:postgresql://db:5432/ops?user=ops", "jdbc:mariadb://db:3306/ops?user=ops",
                "jdbc:mysql://db:3306/ops?user=ops")) {
            assertThat(converter.convert(url)).isEqualTo(url);
        }
    }

    @Test
    void anyOtherUrlIsRefusedNamingTheAcceptedOnesAndNotThePassword() {
        assertThatThrownBy(() -> converter.convert("jdbc:sqlserver://db;user=sa;password=s3cret"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("jdbc:h2:..., jdbc:postgresql:..., jdbc:mariadb:... or jdbc:mysql:...")
                .hasMessageNotContaining("s3cret");
    }
}
