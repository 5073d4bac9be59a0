package dev.supervisor.cli.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

    @TempDir
    Path dir;

    @Test
    void outputWithoutNewlinesPrintsABoundedTail() throws Exception {
        Path log = dir.resolve("endless.log");
        String endless = "0123456789".repeat(300_000) + "END"; // 3 MB, no newline
        Files.writeString(log, endless);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        new LogTail(log).writeLast(5, out);

        String printed = out.toString(StandardCharsets.US_ASCII);
        assertThat(printed).hasSize(LogTail.MAX_BYTES).endsWith("789END");
        assertThat(endless).endsWith(printed);
    }

    @Test
    void shortLinesArePrintedWhole() throws Exception {
        Path log = dir.resolve("lines.log");
        Files.writeString(log, "one\ntwo\nthree\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        new LogTail(log).writeLast(2, out);

        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("two\nthree\n");
    }
}
