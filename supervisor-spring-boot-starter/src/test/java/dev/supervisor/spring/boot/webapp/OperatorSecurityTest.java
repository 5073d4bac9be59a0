package dev.supervisor.spring.boot.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.supervisor.KeyState;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The docs' Spring Security rule on the endpoint and the page: only operators reach them; the page's
 * actions need the session's CSRF token and a JSON body, the endpoint's a JSON body.
 */
class OperatorSecurityTest extends OperatedApplicationTests {

    private static final Pattern CSRF = Pattern.compile(
            "<meta name=\"supervisor-csrf-header\" content=\"([^\"]+)\">\\s*<meta name=\"supervisor-csrf-token\" content=\"([^\"]+)\">");

    @Test
    void onlyOperatorsReachTheEndpointAndThePage() {
        for (String path : List.of("/actuator/supervisor", "/supervisor/", "/supervisor/api/processes")) {
            assertThat(as(null).get(path).statusCode()).as("anonymous %s", path).isIn(401, 302);
            assertThat(as("dev").get(path).statusCode()).as("a user without the role, %s", path).isEqualTo(403);
            assertThat(as("ops").get(path).statusCode()).as("an operator, %s", path).isEqualTo(200);
        }
        String key = running("guarded");
        assertThat(as("dev").post("/actuator/supervisor/" + key, "{\"action\": \"pause\"}").statusCode()).isEqualTo(403);
        assertThat(as(null).get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(state(key)).isEqualTo(KeyState.RUNNING);
    }

    @Test
    void thePagesActionsNeedTheSessionsCsrfTokenAndJson() {
        String key = running("page");
        Client ops = as("ops");
        String action = "/supervisor/api/processes/" + key + "/restart";
        assertThat(ops.post(action, "{}").statusCode()).as("without the CSRF token").isIn(401, 403);

        HttpResponse<String> page = ops.get("/supervisor/");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'"));
        Matcher csrf = CSRF.matcher(page.body());
        assertThat(csrf.find()).as("the page's CSRF meta tags in %s", page.body()).isTrue();
        assertThat(ops.post(action, "", csrf.group(1), csrf.group(2)).statusCode()).as("without JSON").isEqualTo(415);
        assertThat(supervisor.status(key).orElseThrow().attempt()).as("nothing done so far").isEqualTo(1);

        HttpResponse<String> restarted = ops.post(action, "{}", csrf.group(1), csrf.group(2));
        assertThat(restarted.statusCode()).as(restarted.body()).isEqualTo(200);
        assertThat(JsonPath.parse(restarted.body()).read("$.result", String.class)).isEqualTo("restarted");
        assertThat(supervisor.status(key).orElseThrow().attempt()).isEqualTo(2);
        assertThat(JsonPath.parse(ops.get("/supervisor/api/processes/" + key).body()).read("$.restarts", Integer.class))
                .isEqualTo(1);
    }
}
