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
        assertThatThrownBy(() -> CommandSpec.fromJson("{\"argv\": [\"x\"], \"users\": \"root\"}"))
                .hasMessageContaining("unknown field \"users\"");
        assertThatThrownBy(() -> CommandSpec.fromJson("{\"argv\": [\"x\"], \"restart\": \"sometimes\"}"))
                .hasMessage("unknown restart mode 'sometimes': use always, on-failure, never");
    }

    @Test
    void everySettingIsAFieldOfThePayloadReadBackAsWritten() {
        String json = "{\"argv\":[\"./api\"],\"restart\":\"on-failure\",\"memoryMax\":\"512M\",\"cpuMax\":0.5,"
                + "\"tasksMax\":100,\"ready\":{\"http\":\"http://127.0.0.1:9000/ready\",\"timeout\":30},"
                + "\"health\":{\"cmd\":\"curl -f localhost:9000\",\"interval\":2,\"failures\":2},\"startRetries\":5,"
                + "\"startGrace\":2.5,\"giveUpAfter\":10,\"giveUpWindow\":120,\"successExitCodes\":[0,2],"
                + "\"stopSignal\":\"QUIT\",\"stopTimeout\":30,\"user\":\"www-data\",\"envFile\":\"/etc/api.env\","
                + "\"stderr\":\"separate\",\"logSize\":\"50M\",\"logFiles\":5}";
        CommandSpec spec = CommandSpec.fromJson(json);
        RowSettings s = spec.settings();
        assertThat(s.memoryMax()).hasValue(512L << 20);
        assertThat(s.cpuMax()).hasValue(0.5);
        assertThat(s.ready().orElseThrow().describe()).isEqualTo("http http://127.0.0.1:9000/ready");
        assertThat(s.ready().orElseThrow().timeout()).hasSeconds(30);
        assertThat(s.health().orElseThrow().failures()).isEqualTo(2);
        assertThat(s.stopSignal().orElseThrow()).hasToString("SIGQUIT");
        assertThat(s.successExitCodes()).containsExactly(0, 2);
        assertThat(spec.toJson()).isEqualTo(json);
        assertThat(CommandSpec.fromJson(spec.toJson())).isEqualTo(spec);
        assertThat(CommandSpec.fromJson("{\"argv\":[\"x\"],\"memoryMax\":1073741824}").settings().memoryMax())
                .hasValue(1L << 30);
        assertThat(CommandSpec.fromJson("{\"argv\":[\"x\"],\"ready\":{\"tcp\":8080}}").settings().ready().orElseThrow()
                .describe()).isEqualTo("tcp 127.0.0.1:8080");
    }

    @Test
    void aBadSettingIsRefusedNamingItsField() {
        assertThatThrownBy(() -> CommandSpec.fromJson("{\"argv\":[\"x\"],\"memoryMax\":-1}"))
                .hasMessage("\"memoryMax\" must be a size such as \"512M\" (bytes, or a number with K, M, G or T), at least 1M,"
                        + " was -1");
        assertThatThrownBy(() -> CommandSpec.fromJson("{\"argv\":[\"x\"],\"cpuMax\":0}"))
                .hasMessage("\"cpuMax\" must be a number within 0.01..1024, was 0");
        assertThatThrownBy(() -> CommandSpec.fromJson("{\"argv\":[\"x\"],\"tasksMax\":\"many\"}"))
                .hasMessage("\"tasksMax\" must be a whole number within 1..4194304, was \"many\"");
        assertThatThrownBy(() -> CommandSpec.fromJson("{\"argv\":[\"x\"],\"stopSignal\":\"SIGFOO\"}"))
                .hasMessageStartingWith("\"stopSignal\": unknown signal 'SIGFOO'");
        assertThatThrownBy(() -> CommandSpec.fromJson("{\"argv\":[\"x\"],\"ready\":{\"tcp\":80,\"http\":\"http://a/\"}}"))
                .hasMessage("\"ready\" must have one of tcp, http, cmd, notify, not several");
        assertThatThrownBy(() -> CommandSpec.fromJson("{\"argv\":[\"x\"],\"health\":{\"http\":\"ftp://a/\"}}"))
                .hasMessage("\"health.http\" must be an http:// or https:// URL, was \"ftp://a/\"");
        assertThatThrownBy(() -> CommandSpec.fromJson("{\"argv\":[\"x\"],\"health\":{\"tcp\":70000}}"))
                .hasMessage("\"health.tcp\" must be a port (1..65535) or HOST:PORT, was \"70000\"");
        assertThatThrownBy(() -> CommandSpec.fromJson("{\"argv\":[\"x\"],\"stderr\":\"both\"}"))
                .hasMessage("\"stderr\" must be \"merged\" or \"separate\", was \"both\"");
        assertThatThrownBy(() -> CommandSpec.fromJson("{\"argv\":[\"x\"],\"user\":\"" + "u".repeat(5000) + "\"}"))
                .hasMessageContaining("(4920 more characters)");
    }
}
