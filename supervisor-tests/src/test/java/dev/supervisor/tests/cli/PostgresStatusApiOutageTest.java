package dev.supervisor.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.tests.jdbc.PostgresDatabaseExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --http} on PostgreSQL while its database cannot be reached: the daemon logs in as a
 * role of its own, which the test then forbids to log in, ending the daemon's sessions. Reading
 * the rows and an action answer 503 with a JSON error naming the problem, never the password,
 * and 200 again once the role may log in. The three requests run at once, since each waits the
 * pool's connection timeout (5 s).
 */
@Timeout(120)
class PostgresStatusApiOutageTest {

    @RegisterExtension
    static final PostgresDatabaseExtension POSTGRES = new PostgresDatabaseExtension();

    @TempDir
    Path home;

    private final String role = ("sv_api_" + Integer.toHexString(ThreadLocalRandom.current().nextInt())).toLowerCase(Locale.ROOT);
    private final String password = "pw-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private boolean roleCreated;

    @AfterEach
    void dropRole() {
        if (!roleCreated) {
            return;
        }
        POSTGRES.sql("ALTER ROLE " + role + " LOGIN", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '"
                + role + "'", "DROP OWNED BY " + role, "DROP ROLE " + role);
    }

    @Test
    void theApiAnswers503WhileTheDatabaseCannotBeReachedAnd200OnceItIsBack() throws Exception {
        POSTGRES.sql("CREATE ROLE " + role + " LOGIN SUPERUSER PASSWORD '" + password + "'");
        roleCreated = true;
        String url = POSTGRES.url().contains("user=") ? POSTGRES.url().replaceFirst("user=[^&]*", "user=" + role)
                : POSTGRES.url() + (POSTGRES.url().contains("?") ? "&" : "?") + "user=" + role;
        SupervisorJar cli = SupervisorJar.withHome(home, "--db", url, "--db-password", password, "--db-schema", POSTGRES.schema());
        try (RunningDaemon daemon = cli.startDaemon("--stop-timeout", "2", "--http", "0")) {
            StatusPageClient page = StatusPageClient.of(daemon);
            String token = page.token();
            assertThat(page.get("api/processes").statusCode()).isEqualTo(200);
            assertThat(POSTGRES.number("SELECT COUNT(*) FROM pg_stat_activity WHERE usename = '" + role + "'"))
                    .as("the daemon's sessions").isPositive();

            POSTGRES.sql("ALTER ROLE " + role + " NOLOGIN",
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
            List<CompletableFuture<HttpResponse<String>>> requests = List.of(
                    async(() -> page.get("api/processes")),
                    async(() -> page.get("api/processes/web")),
                    async(() -> page.post("api/processes/web/stop", token)));

            for (CompletableFuture<HttpResponse<String>> request : requests) {
                HttpResponse<String> response = request.join();
                String what = response.request().method() + " " + response.uri().getPath() + ": " + response.body();
                assertThat(response.statusCode()).as(what).isEqualTo(503);
                assertThat(StatusPageClient.parse(response).get("error").asText()).as(what)
                        .contains("the database is unavailable: ");
                assertThat(response.body()).as(what).doesNotContain(password);
            }

            POSTGRES.sql("ALTER ROLE " + role + " LOGIN");
            await("the API to answer again").atMost(DaemonScenarioTest.WAIT).pollInterval(DaemonScenarioTest.POLL)
                    .until(() -> page.get("api/processes").statusCode() == 200);
            assertThat(page.get("api/processes/web").statusCode()).as("no such row").isEqualTo(404);
            assertThat(daemon.output()).doesNotContain(password);
            assertThat(daemon.terminate()).as("exit code after SIGTERM; %s", daemon).isZero();
        }
    }

    private static CompletableFuture<HttpResponse<String>> async(Supplier<HttpResponse<String>> request) {
        return CompletableFuture.supplyAsync(request, Thread::startVirtualThread);
    }
}
