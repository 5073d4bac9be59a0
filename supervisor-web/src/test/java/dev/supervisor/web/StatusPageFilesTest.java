package dev.supervisor.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.web.StatusPageFiles.PageFile;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The page's three files come from the jar, refer to one another relatively, and nothing else is served. */
class StatusPageFilesTest {

    @Test
    void theThreeFilesAreInTheJarWithTheirContentTypes() {
        PageFile index = StatusPageFiles.file("index.html").orElseThrow();
        assertThat(index.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(new String(index.content(), StandardCharsets.UTF_8))
                .contains("<script src=\"status.js\" defer></script>", "<link rel=\"stylesheet\" href=\"status.css\">");
        assertThat(StatusPageFiles.file("status.js").orElseThrow().contentType()).startsWith("text/javascript");
        assertThat(StatusPageFiles.file("status.css").orElseThrow().contentType()).startsWith("text/css");
        assertThat(StatusPageFiles.file("../pom.xml")).isEmpty();
        assertThat(StatusPageFiles.file("StatusPageFiles.class")).isEmpty();
    }

    @Test
    void aFilesBytesCannotBeChangedThroughItsAccessor() {
        PageFile js = StatusPageFiles.file("status.js").orElseThrow();
        js.content()[0] = 0;
        assertThat(js.content()[0]).isNotZero();
    }

    @Test
    void theScriptReadsTheApiRelativeToThePage() {
        String script = new String(StatusPageFiles.file("status.js").orElseThrow().content(), StandardCharsets.UTF_8);
        assertThat(script).contains("fetch('api/processes'").doesNotContain("fetch('/").doesNotContain("innerHTML");
    }

    @Test
    void theIndexAsIsIsTheDaemonsPage() {
        String raw = new String(StatusPageFiles.file("index.html").orElseThrow().content(), StandardCharsets.UTF_8);
        assertThat(raw).contains("<meta name=\"supervisor-features\" content=\"token logs pid command\">",
                "<meta name=\"supervisor-server\" content=\"daemon\">");
        assertThat(new String(StatusPageFiles.index(PageSettings.daemon()).content(), StandardCharsets.UTF_8)).isEqualTo(raw);
    }

    @Test
    void anApplicationsIndexSaysWhatItOffersWithItsValuesEscaped() {
        PageFile index = StatusPageFiles.index(PageSettings.application("Insert a row into <supervisor_processes>")
                .withCsrf("X-CSRF-TOKEN", "a\"b'c&d"));
        String html = new String(index.content(), StandardCharsets.UTF_8);
        assertThat(html).contains("<meta name=\"supervisor-features\" content=\"\">",
                "<meta name=\"supervisor-server\" content=\"application\">",
                "<meta name=\"supervisor-empty\" content=\"Insert a row into &lt;supervisor_processes&gt;\">",
                "<meta name=\"supervisor-csrf-header\" content=\"X-CSRF-TOKEN\">",
                "<meta name=\"supervisor-csrf-token\" content=\"a&quot;b&#39;c&amp;d\">")
                .doesNotContain("token logs");
        assertThat(index.contentType()).isEqualTo("text/html; charset=utf-8");
    }
}
