package dev.supervisor.spring.boot.webapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.supervisor.KeyState;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The actuator endpoint supervisor over HTTP, as an operator: what it shows and its write operations. */
class SupervisorEndpointTest extends OperatedApplicationTests {

    @Test
    void everyKeyWithItsStatusAndOneKeyAlone() {
        String key = running("mailer");
        DocumentContext all = json(as("ops").get("/actuator/supervisor"), 200);
        assertThat(all.read("$.name", String.class)).isEqualTo("supervisor");
        assertThat(all.read("$.launched", Boolean.class)).isTrue();
        assertThat(all.read("$.node", String.class)).isEqualTo("node-a");
        assertThat(all.read("$.lastPass.complete", Boolean.class)).isTrue();
        List<Map<String, Object>> mine = all.read("$.processes[?(@.key == '" + key + "')]");
        assertThat(mine).singleElement().satisfies(process -> assertThat(process).containsEntry("state", "running")
                .containsEntry("attempt", 1).containsEntry("restarts", 0).containsEntry("node", "node-a")
                .containsKeys("startedAt", "runningSince", "uptime").doesNotContainKeys("nextAttemptAt", "lastExit"));

        DocumentContext one = json(as("ops").get("/actuator/supervisor/" + key), 200);
        assertThat(one.read("$.key", String.class)).isEqualTo(key);
        assertThat(one.read("$.uptime", String.class)).startsWith("PT");
        assertThat(as("ops").get("/actuator/supervisor/no-such-key").statusCode()).isEqualTo(404);
    }

    @Test
    void theWriteOperationsRestartPauseResumeAndResetOneKey() {
        String key = running("billing");
        String path = "/actuator/supervisor/" + key;

        DocumentContext restarted = json(as("ops").post(path, "{\"action\": \"restart\"}"), 200);
        assertThat(restarted.read("$.result", String.class)).isEqualTo("restarted");
        assertThat(restarted.read("$.process.state", String.class)).isEqualTo("running");
        assertThat(restarted.read("$.process.attempt", Integer.class)).isEqualTo(2);
        assertThat(restarted.read("$.process.lastExit.kind", String.class)).isEqualTo("stopped");
        assertThat(restarted.read("$.process.lastExit.stopCause", String.class)).isEqualTo("restart");

        DocumentContext paused = json(as("ops").post(path, "{\"action\": \"pause\"}"), 200);
        assertThat(paused.read("$.process.state", String.class)).isEqualTo("paused");
        DocumentContext refused = json(as("ops").post(path, "{\"action\": \"restart\"}"), 409);
        assertThat(refused.read("$.error", String.class)).startsWith("restart " + key + ": ").contains("paused");

        assertThat(json(as("ops").post(path, "{\"action\": \"resume\"}"), 200).read("$.result", String.class)).isEqualTo("resuming");
        await().atMost(WAIT).until(() -> state(key) == KeyState.RUNNING);
        assertThat(json(as("ops").post(path, "{\"action\": \"reset\"}"), 200).read("$.result", String.class)).isEqualTo("reset");
    }

    @Test
    void refusalsGetTheirStatusAndAMessage() {
        assertThat(json(as("ops").post("/actuator/supervisor/nope", "{\"action\": \"restart\"}"), 404).read("$.error", String.class))
                .isEqualTo("restart nope: no process named nope");
        String key = running("ledger");
        assertThat(as("ops").post("/actuator/supervisor/" + key, "{\"action\": \"explode\"}").statusCode()).isEqualTo(400);
        assertThat(as("ops").post("/actuator/supervisor/" + key, "{}").statusCode()).as("no action").isEqualTo(400);
        assertThat(state(key)).isEqualTo(KeyState.RUNNING);
    }

    private static DocumentContext json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as("%s", response.body()).isEqualTo(status);
        return JsonPath.parse(response.body());
    }
}
