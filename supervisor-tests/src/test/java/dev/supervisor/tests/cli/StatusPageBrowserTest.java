package dev.supervisor.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.supervisor.tests.cli.SupervisorJar.Result;
import dev.supervisor.testsupport.Waits;
import dev.supervisor.web.Browser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The status page in a real browser (headless Chromium through Selenium) against the real jar's
 * daemon: the rows appear, a command killed with SIGKILL changes its row's state on the page
 * without a reload, the buttons restart, stop and start, the filters and the log panel work.
 * The last test writes {@code target/status-page.png}, the screenshot of the docs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class StatusPageBrowserTest {

    /** The page polls every second: this leaves room for a slow machine. */
    private static final Duration PAGE_WAIT = Waits.PROCESS;
    private static final Duration POLL = Duration.ofMillis(100);
    static final Path SCREENSHOT = Path.of("target", "status-page.png");

    @TempDir
    static Path home;
    SupervisorJar cli;
    RunningDaemon daemon;
    StatusPageClient api;
    ChromeDriver browser;

    @BeforeAll
    void startDaemonAndBrowser() throws Exception {
        Browser.assumeInstalled();
        cli = SupervisorJar.withHome(home);
        add("api", "sh", "-c", "echo \"api: listening on :8080\"; i=0; while true; do i=$((i+1)); "
                + "echo \"GET /orders/$i 200 ($((i % 7 + 3)) ms)\"; sleep 0.5; done");
        add("mailer", "sh", "-c", "while true; do echo \"mailer: queue empty, waiting\"; sleep 2; done");
        add("worker-1", "sh", "-c", "i=0; while true; do i=$((i+1)); echo \"job $i done\"; sleep 1; done");
        add("worker-2", "sh", "-c", "test -e held && { echo \"worker-2: cannot open queue: held\" >&2; exit 3; }; "
                + "i=0; while true; do i=$((i+1)); echo \"job $i done\"; sleep 1; done");
        add("nightly-report", "sleep", "86400");
        daemon = cli.startDaemon("--stop-timeout", "5", "--http", "0");
        api = StatusPageClient.of(daemon);
        for (String name : List.of("api", "mailer", "worker-1", "worker-2", "nightly-report")) {
            await(name + " to run").atMost(DaemonScenarioTest.WAIT).pollInterval(DaemonScenarioTest.POLL)
                    .until(() -> api.json("api/processes/" + name), r -> r.get("state").asText().equals("RUNNING"));
        }
        browser = Browser.start(home, 1360, 900);
        browser.get(api.base().toString());
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (daemon == null) {
            return;
        }
        try (RunningDaemon running = daemon) {
            assertThat(running.terminate()).as("exit code after SIGTERM; %s", running).isZero();
        }
    }

    @Test
    @Order(1)
    void theRowsAppearWithTheirStateAndPid() {
        for (String name : List.of("api", "mailer", "worker-1", "worker-2", "nightly-report")) {
            JsonNode row = api.json("api/processes/" + name);
            awaitRow(name, "to show RUNNING and its pid", r -> state(r).equals("RUNNING")
                    && cell(r, "pid").equals(row.get("pid").asText()));
            WebElement tr = row(name);
            assertThat(cell(tr, "command")).isEqualTo(String.join(" ", shellWords(row.get("command"))));
            assertThat(cell(tr, "node")).isEqualTo(row.get("node").asText());
            assertThat(cell(tr, "restarts")).isEqualTo("0");
        }
        assertThat(browser.findElement(By.id("connection")).getText()).isEqualTo("live");
    }

    @Test
    @Order(2)
    void aKilledCommandChangesItsStateOnThePage() throws Exception {
        String pid = cell(row("worker-2"), "pid");
        Files.createFile(home.resolve("held")); // its restarts now fail: the row stays down
        ProcessHandle.of(Long.parseLong(pid)).orElseThrow().destroyForcibly();

        WebElement tr = awaitRow("worker-2", "to leave RUNNING", r -> !state(r).equals("RUNNING") && !cell(r, "pid").equals(pid));
        assertThat(tr.getDomAttribute("data-state")).isIn("BACKOFF", "STARTING", "STOPPED", "GIVEN_UP");
        assertThat(browser.getCurrentUrl()).as("no reload, no navigation").isEqualTo(api.base().toString());
    }

    @Test
    @Order(3)
    void theRestartButtonRestartsTheCommand() {
        String pid = cell(row("api"), "pid");
        useToken(api.token());

        row("api").findElement(By.cssSelector("button[data-action=restart]")).click();

        awaitPage("the confirmation", () -> browser.findElement(By.id("message")).getText().equals("api: restarted"));
        WebElement tr = awaitRow("api", "to run with a new pid", r -> state(r).equals("RUNNING")
                && !cell(r, "pid").equals(pid) && !cell(r, "pid").equals("–"));
        assertThat(cell(tr, "restarts")).isEqualTo("1");
        assertThat(ProcessHandle.of(Long.parseLong(pid)).filter(OsProcesses::running)).as("the old process").isEmpty();
    }

    @Test
    @Order(4)
    void theStopAndStartButtonsPauseAndResume() {
        useToken(api.token());
        row("nightly-report").findElement(By.cssSelector("button[data-action=stop]")).click();
        WebElement paused = awaitRow("nightly-report", "to be PAUSED", r -> state(r).equals("PAUSED"));
        assertThat(cell(paused, "pid")).isEqualTo("–");
        assertThat(paused.findElement(By.cssSelector("button[data-action=stop]")).isEnabled()).isFalse();

        row("nightly-report").findElement(By.cssSelector("button[data-action=start]")).click();
        awaitRow("nightly-report", "to run again", r -> state(r).equals("RUNNING") && !cell(r, "pid").equals("–"));

        row("nightly-report").findElement(By.cssSelector("button[data-action=stop]")).click();
        awaitRow("nightly-report", "to be PAUSED again", r -> state(r).equals("PAUSED"));
    }

    @Test
    @Order(5)
    void aWrongTokenIsRefusedOnThePageAndChangesNothing() {
        String pid = cell(row("mailer"), "pid");
        useToken("not-the-daemons-token-at-all");

        row("mailer").findElement(By.cssSelector("button[data-action=restart]")).click();

        await("the refusal").atMost(PAGE_WAIT).pollInterval(POLL)
                .until(() -> browser.findElement(By.id("message")).getText(), text -> text.contains("refused the token (403)"));
        assertThat(api.json("api/processes/mailer").get("pid").asText()).isEqualTo(pid);
        useToken(api.token());
    }

    @Test
    @Order(6)
    void theFiltersSelectRowsByNameAndState() {
        WebElement name = browser.findElement(By.id("filter-name"));
        name.sendKeys("work");
        awaitPage("only the workers", () -> visibleNames().equals(List.of("worker-1", "worker-2")));
        name.clear();
        name.sendKeys(" "); // an input event with an empty filter
        browser.findElement(By.cssSelector("#filter-state option[value='PAUSED']")).click();
        awaitPage("only the paused row", () -> visibleNames().equals(List.of("nightly-report")));
        browser.findElement(By.cssSelector("#filter-state option[value='']")).click();
        awaitPage("every row", () -> visibleNames().size() == 5);
    }

    @Test
    @Order(7)
    void clickingARowShowsTheLastLinesOfItsLog() {
        row("api").click();
        String log = awaitPage("the log of api", () -> {
            List<WebElement> pre = browser.findElements(By.cssSelector("tr.log pre"));
            return pre.isEmpty() ? null : pre.get(0).getText();
        }, text -> text != null && text.contains("GET /orders/"));
        assertThat(log).doesNotContain("<").contains(" 200 (");
    }

    @Test
    @Order(8)
    void screenshotForTheDocs() throws Exception {
        row("api").click(); // closes its log
        row("worker-2").click();
        awaitPage("the log of worker-2", () -> browser.findElements(By.cssSelector("tr.log pre")).stream()
                .anyMatch(pre -> pre.getText().contains("cannot open queue")));
        awaitPage("the confirmations to fade", () -> !browser.findElement(By.id("message")).isDisplayed());
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, browser.getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
    }

    // --- helpers ---

    private void useToken(String token) {
        WebElement field = browser.findElement(By.id("token"));
        field.clear();
        field.sendKeys(token);
        browser.findElement(By.id("token-save")).click();
    }

    private WebElement row(String name) {
        return browser.findElement(By.cssSelector("tr.row[data-name='" + name + "']"));
    }

    private List<String> visibleNames() {
        return browser.findElements(By.cssSelector("tr.row")).stream().map(tr -> tr.getDomAttribute("data-name")).toList();
    }

    private static String state(WebElement tr) {
        return tr.findElement(By.cssSelector("td.state-cell .state")).getText();
    }

    private static String cell(WebElement tr, String column) {
        return tr.findElement(By.cssSelector("td." + column)).getText();
    }

    /** Waits until the page's row for name satisfies condition (re-read each time: the page updates it in place). */
    private WebElement awaitRow(String name, String what, Predicate<WebElement> condition) {
        return awaitPage(name + " " + what, () -> {
            List<WebElement> rows = browser.findElements(By.cssSelector("tr.row[data-name='" + name + "']"));
            return rows.isEmpty() || !condition.test(rows.get(0)) ? null : rows.get(0);
        }, found -> found != null);
    }

    private void awaitPage(String what, Callable<Boolean> condition) {
        awaitPage(what, condition, Boolean.TRUE::equals);
    }

    private <T> T awaitPage(String what, Callable<T> value, Predicate<T> condition) {
        return await(what + " on the page").atMost(PAGE_WAIT).pollInterval(POLL)
                .ignoreExceptionsInstanceOf(org.openqa.selenium.StaleElementReferenceException.class)
                .until(value, condition::test);
    }

    private static List<String> shellWords(JsonNode argv) {
        List<String> words = new ArrayList<>();
        argv.forEach(word -> words.add(word.asText().matches("[A-Za-z0-9_@%+=:,./-]+") ? word.asText()
                : "'" + word.asText().replace("'", "'\\''") + "'"));
        return words;
    }

    private void add(String name, String... command) {
        List<String> args = new ArrayList<>(List.of("add", name, "--"));
        args.addAll(List.of(command));
        Result added = cli.run(args.toArray(String[]::new));
        assertThat(added.code()).as("add %s: %s", name, added).isZero();
    }

}
