package dev.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervisor.RestartMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandSpecTest {

    @Test
    void aSpecIsStoredAsJsonAndReadBack() {
        CommandSpec spec = new CommandSpec(List.of("sh", "-c", "echo \"$GREETING\""), Map.of("GREETING", "hi"),
                Optional.of(Path.of("/srv/app")), RestartMode.ON_FAILURE);
        String json = spec.toJson();
        assertThat(json).isEqualTo("{\"argv\":[\"sh\",\"-c\",\"echo \\\"$GREETING\\\"\"],\"env\":{\"GREETING\":\"hi\"},"
                + "\"dir\":\"/srv/app\",\"restart\":\"on-failure\"}");
        assertThat(CommandSpec.fromJson(json)).isEqualTo(spec);
    }

    @Test
    void onlyArgvIsRequired() {
        CommandSpec spec = CommandSpec.fromJson("{\"argv\": [\"sleep\", \"60\"]}");
        assertThat(spec).isEqualTo(new CommandSpec(List.of("sleep", "60"), Map.of(), Optional.empty(), RestartMode.ALWAYS));
    }

    @Test
    void payloadsThatAreNoCommandAreRefusedSayingWhy() {
        assertThatThrownBy(() -> CommandSpec.fromJson(null)).hasMessageContaining("the payload is empty");
        assertThatThrownBy(() -> CommandSpec.fromJson("sleep 60")).hasMessageContaining("invalid JSON at line 1, column 1");
        assertThatThrownBy(() -> CommandSpec.fromJson("[\"sleep\"]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> CommandSpec.fromJson("{\"argv\": \"sleep 60\"}")).hasMessageContaining("\"argv\" must be an array");
        assertThatThrownBy(() -> CommandSpec.fromJson("{\"argv\": []}")).hasMessage("the command is empty");
        assertThatThrownBy(() -> CommandSpec.fromJson("{\"argv\": [\"x\"], \"user\": \"root\"}"))
                .hasMessageContaining("unknown field \"user\"");
        assertThatThrownBy(() -> CommandSpec.fromJson("{\"argv\": [\"x\"], \"restart\": \"sometimes\"}"))
                .hasMessage("unknown restart mode 'sometimes': use always, on-failure, never");
    }
}
