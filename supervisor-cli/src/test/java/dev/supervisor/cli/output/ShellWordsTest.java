package dev.supervisor.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShellWordsTest {

    @Test
    void quotesWhatTheShellWouldChange() {
        assertThat(ShellWords.join(List.of("sh", "-c", "echo 'hi'"))).isEqualTo("sh -c 'echo '\\''hi'\\'''");
    }

    @Test
    void aHugeWordIsCutSayingHowMuchWasLeftOut() {
        String huge = "x".repeat(10 * 1024 * 1024);
        String shown = ShellWords.quote(huge);
        assertThat(shown).startsWith("'" + "x".repeat(ShellWords.MAX_WORD) + "...(")
                .endsWith((huge.length() - ShellWords.MAX_WORD) + " more characters)'");
        assertThat(ShellWords.join(Collections.nCopies(100, huge)).length()).isLessThan(ShellWords.MAX_LINE + 40);
    }
}
