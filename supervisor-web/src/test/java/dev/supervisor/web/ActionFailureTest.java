package dev.supervisor.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervisor.NotRunningException;
import dev.supervisor.ProcessNotFoundException;
import dev.supervisor.ProcessStartException;
import dev.supervisor.SupervisorException;
import dev.supervisor.TableException;
import org.junit.jupiter.api.Test;

/** Each refusal of the supervisor becomes its HTTP status and a message naming the action and the key. */
class ActionFailureTest {

    @Test
    void eachRefusalHasItsStatus() {
        assertThat(ActionFailure.of("restart", "web", new ProcessNotFoundException("web", "no row web")))
                .isEqualTo(new ActionFailure(404, "restart web: no process named web"));
        assertThat(ActionFailure.of("stop", "web", new NotRunningException("the supervisor is closed")).status()).isEqualTo(503);
        assertThat(ActionFailure.of("restart", "web", new ProcessStartException("web", "it threw", null)).status()).isEqualTo(500);
        assertThat(ActionFailure.of("restart", "web", new SupervisorException("web is paused: resume it first")))
                .isEqualTo(new ActionFailure(409, "restart web: web is paused: resume it first"));
        assertThat(ActionFailure.of("stop", "web", new UnsupportedOperationException("no paused column")).status()).isEqualTo(409);
    }

    @Test
    void theDatabaseFailingIsAnOutageButARowThatCannotBeDecodedIsNot() {
        TableException down = new TableException("connection refused", null);
        assertThat(ActionFailure.of("stop", "web", new SupervisorException("cannot pause", down)))
                .isEqualTo(new ActionFailure(503, "stop web: the database is unavailable: connection refused"));
        TableException badRow = new TableException("web", "not a command", null);
        assertThat(ActionFailure.of("restart", "web", badRow).status()).isEqualTo(409);
    }

    @Test
    void anythingElseIsThrownBack() {
        IllegalStateException bug = new IllegalStateException("bug");
        assertThatThrownBy(() -> ActionFailure.of("restart", "web", bug)).isSameAs(bug);
    }
}
