package dev.supervisor.spring.boot.webapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.KeyState;
import dev.supervisor.testsupport.Waits;
import dev.supervisor.web.Browser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The status page inside the application, in headless Chromium: an operator signs in through the
 * application's own login form, sees the keys update without a reload, and restarts, stops and
 * starts them; the daemon's token, pid, command and log panel are not offered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class InAppStatusPageBrowserTest extends OperatedApplicationTests {

    private static final Duration POLL = Duration.ofMillis(100);

    @TempDir
    static Path scratch;
    ChromeDriver browser;
    String api;
    String mailer;
    String failing;

    @BeforeAll
    void signIn() throws Exception {
        Browser.assumeInstalled();
        api = running("api");
        mailer = running("mailer");
        failing = "failing-" + api.substring(api.indexOf('-') + 1);
        jdbc.update("INSERT INTO supervisor_processes (name, payload) VALUES (?, '{}')", failing);
        browser = Browser.start(Files.createDirectories(scratch), 1360, 900);
        browser.get("http://localhost:" + port + "/supervisor");
        awaitPage("the application's login form", () -> !browser.findElements(By.name("username")).isEmpty());
        browser.findElement(By.name("username")).sendKeys("ops");
        browser.findElement(By.name("password")).sendKeys(OperatedApplication.PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        awaitPage("the status page after signing in", () -> browser.getCurrentUrl().endsWith("/supervisor/")
                && browser.findElement(By.id("connection")).getText().equals("live"));
    }

    @AfterAll
    void quit() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    @Order(1)
    void theKeysAppearWithTheirStateAndNodeButNoDaemonColumns() {
        for (String key : List.of(api, mailer)) {
            WebElement row = awaitRow(key, "to show RUNNING", r -> state(r).equals("RUNNING"));
            assertThat(cell(row, "node")).isEqualTo("node-a");
            assertThat(cell(row, "restarts")).isEqualTo("0");
        }
        awaitRow(failing, "to show its failure", r -> r.findElement(By.cssSelector(".error-note")).getText()
                .contains("IllegalStateException: the queue of " + failing + " is gone"));
        assertThat(browser.findElement(By.cssSelector("td.pid")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.cssSelector("td.command")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("token-form")).isDisplayed()).isFalse();
    }

    @Test
    @Order(2)
    void theRestartButtonRestartsTheKeyThroughTheApplicationsSecurity() {
        row(api).findElement(By.cssSelector("button[data-action=restart]")).click();
        awaitPage("the confirmation", () -> browser.findElement(By.id("message")).getText().equals(api + ": restarted"));
        awaitRow(api, "to run again, restarted once", r -> state(r).equals("RUNNING") && cell(r, "restarts").equals("1"));
        assertThat(supervisor.status(api).orElseThrow().attempt()).isEqualTo(2);
    }

    @Test
    @Order(3)
    void theStopAndStartButtonsPauseAndResume() {
        row(mailer).findElement(By.cssSelector("button[data-action=stop]")).click();
        WebElement paused = awaitRow(mailer, "to be PAUSED", r -> state(r).equals("PAUSED"));
        assertThat(paused.findElement(By.cssSelector("button[data-action=stop]")).isEnabled()).isFalse();
        assertThat(state(mailer)).isEqualTo(KeyState.PAUSED);

        row(mailer).findElement(By.cssSelector("button[data-action=start]")).click();
        awaitRow(mailer, "to run again", r -> state(r).equals("RUNNING"));
    }

    @Test
    @Order(4)
    void theFiltersSelectKeysByNameAndState() {
        browser.findElement(By.id("filter-name")).sendKeys("mailer-");
        awaitPage("only the mailer", () -> visibleNames().equals(List.of(mailer)));
        browser.findElement(By.id("filter-name")).clear();
        browser.findElement(By.id("filter-name")).sendKeys(" ");
        awaitPage("every key", () -> visibleNames().containsAll(List.of(api, mailer, failing)));
    }

    private WebElement row(String key) {
        return browser.findElement(By.cssSelector("tr.row[data-name='" + key + "']"));
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

    private WebElement awaitRow(String key, String what, Predicate<WebElement> condition) {
        return awaitPage(key + " " + what, () -> {
            List<WebElement> rows = browser.findElements(By.cssSelector("tr.row[data-name='" + key + "']"));
            return rows.isEmpty() || !condition.test(rows.get(0)) ? null : rows.get(0);
        }, found -> found != null);
    }

    private void awaitPage(String what, Callable<Boolean> condition) {
        awaitPage(what, condition, Boolean.TRUE::equals);
    }

    private <T> T awaitPage(String what, Callable<T> value, Predicate<T> condition) {
        return await(what + " on the page").atMost(Waits.PROCESS).pollInterval(POLL)
                .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
                .until(value, condition::test);
    }
}
