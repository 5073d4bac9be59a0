package dev.supervisor.web;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through its chromedriver ({@code apt-get install chromium
 * chromium-driver}), a fresh profile each time, nothing fetched from the network. Missing, it
 * skips the test with the reason, or fails it when {@code CI} is set. The status page's browser
 * tests use it, the daemon's (supervisor-tests) and the Spring Boot starter's, from this module's
 * test jar.
 */
public final class Browser {

    public static final Path CHROMIUM = Path.of(System.getProperty("supervisor.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("supervisor.chromedriver", "/usr/bin/chromedriver"));

    private Browser() {
    }

    /** Skips (or, under CI, fails) the test unless Chromium and its driver are installed. */
    public static void assumeInstalled() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String reason = "the browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                + " (apt-get install -y chromium chromium-driver)";
        if (!installed && System.getenv("CI") != null) {
            fail(reason + "; CI is set, so their absence fails the test");
        }
        assumeTrue(installed, reason);
    }

    /** A new headless browser of width x height pixels, with a profile in a directory of its own under scratch. */
    public static ChromeDriver start(Path scratch, int width, int height) throws IOException {
        Path profile = Files.createTempDirectory(scratch, "chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-extensions", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
