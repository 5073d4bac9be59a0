package dev.supervisor.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** An unreachable server skips the test, or fails it when CI is set; the reason names the server and its variable. */
class TestServerTest {

    private static final TestServer NOWHERE = TestServer.postgres().at("jdbc:postgresql://127.0.0.1:1/test?user=postgres");

    @Test
    void anUnreachableServerSaysWhy() {
        assertThat(NOWHERE.unreachable()).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("PostgreSQL is unreachable at jdbc:postgresql://127.0.0.1:1/test?user=postgres ("));
    }

    @Test
    void startingAFixtureOnItSkipsTheTestOrFailsItOnCi() {
        PostgresFixture fixture = new PostgresFixture(NOWHERE, "nowhere");

        if (System.getenv("CI") == null) {
            assertThatThrownBy(fixture::start).isInstanceOf(TestAbortedException.class)
                    .hasMessageContaining("PostgreSQL is unreachable").hasMessageContaining("SUPERVISOR_TEST_PG_URL")
                    .hasMessageContaining("skipping");
        } else {
            assertThatThrownBy(fixture::start).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("PostgreSQL is unreachable").hasMessageContaining("SUPERVISOR_TEST_PG_URL")
                    .hasMessageContaining("CI is set");
        }
        assertThat(fixture.started()).isFalse();
        assertThat(fixture.schema()).isNull();
    }

    @Test
    void asAConditionItDisablesTheClassOrFailsOnCi() {
        if (System.getenv("CI") == null) {
            assertThat(NOWHERE.condition().isDisabled()).isTrue();
            assertThat(NOWHERE.condition().getReason()).hasValueSatisfying(reason -> assertThat(reason)
                    .contains("PostgreSQL is unreachable").contains("SUPERVISOR_TEST_PG_URL"));
        } else {
            assertThatThrownBy(NOWHERE::condition).isInstanceOf(AssertionError.class).hasMessageContaining("CI is set");
        }
    }

    @Test
    void aUrlWithoutADriverAlwaysFails() {
        TestServer unknown = TestServer.postgres().at("jdbc:nosuchdb://127.0.0.1/test");

        assertThatThrownBy(unknown::requireReachable).isInstanceOf(AssertionError.class)
                .hasMessageContaining("no JDBC driver on the test class path accepts jdbc:nosuchdb://127.0.0.1/test");
    }
}
