package dev.supervisor.cli.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingLogTest {

    @TempDir
    Path dir;

    private static void write(RotatingLog log, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        log.write(bytes, 0, bytes.length);
    }

    @Test
    void aFullFileIsRotatedAndOnlyTheNewestOldFilesAreKept() throws Exception {
        Path file = dir.resolve("logs").resolve("web.log");
        try (RotatingLog log = RotatingLog.open(file, 10, 2)) {
            write(log, "0123456789abcdefghij");
            write(log, "ABCDEFGHIJ");
            write(log, "xyz");
        }
        assertThat(file).hasContent("xyz");
        assertThat(RotatingLog.rotated(file, 1)).hasContent("ABCDEFGHIJ");
        assertThat(RotatingLog.rotated(file, 2)).hasContent("abcdefghij");
        assertThat(RotatingLog.rotated(file, 3)).doesNotExist();
    }

    @Test
    void reopeningAppendsAndCountsWhatIsThere() throws Exception {
        Path file = dir.resolve("web.log");
        try (RotatingLog log = RotatingLog.open(file, 10, 1)) {
            write(log, "12345678");
        }
        try (RotatingLog log = RotatingLog.open(file, 10, 1)) {
            write(log, "9AB");
        }
        assertThat(RotatingLog.rotated(file, 1)).hasContent("123456789A");
        assertThat(file).hasContent("B");
    }

    @Test
    void logTailReadsTheLastLinesAcrossARotation() throws Exception {
        Path file = dir.resolve("web.log");
        try (RotatingLog log = RotatingLog.open(file, 12, 3)) {
            write(log, "one\ntwo\nthree\nfour\nfive\nsix");
        }
        assertThat(Files.readString(file)).isEqualTo("six");
        assertThat(RotatingLog.rotated(file, 1)).hasContent("e\nfour\nfive\n"); // "three" was split by the rotation
        LogTail tail = new LogTail(file);
        assertThat(lastLines(tail, 3)).isEqualTo("four\nfive\nsix");
        assertThat(lastLines(tail, 5)).isEqualTo("two\nthree\nfour\nfive\nsix");
        assertThat(lastLines(tail, 50)).isEqualTo("one\ntwo\nthree\nfour\nfive\nsix");
        assertThat(lastLines(tail, 0)).isEmpty();
        assertThat(lastLines(new LogTail(dir.resolve("none.log")), 5)).isEmpty();
    }

    @Test
    void logTailCountsAFinalNewlineAsTheEndOfTheLastLine() throws Exception {
        Path file = dir.resolve("web.log");
        Files.writeString(file, "a\nb\nc\n");
        assertThat(lastLines(new LogTail(file), 2)).isEqualTo("b\nc\n");
    }

    private static String lastLines(LogTail tail, int n) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        tail.writeLast(n, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
