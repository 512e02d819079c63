package io.channelsync.console;

import io.channelsync.sync.SyncTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The operator console in a real browser: Debian's headless chromium driven through chromedriver
 * (Selenium), against the whole service on its random port and the embedded PostgreSQL. Dead letters
 * are made the real way: a sync job whose push the channel (WireMock) refuses with a permanent 400.
 * Screenshots are kept in target/console-screenshots/ (a build artifact).
 * <p>
 * No chromium is a failure, not a skip: {@code .ci/run} installs {@code chromium} and
 * {@code chromium-driver}. Other binaries: {@code -Dconsole.chromium=...}, {@code -Dconsole.chromedriver=...}.
 */
class ConsoleBrowserTest extends SyncTestSupport {

    private static final Path CHROMIUM = Path.of(System.getProperty("console.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("console.chromedriver", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration UI_WAIT = Duration.ofSeconds(15);

    private static Path profile;
    private static WebDriver browser;

    @BeforeAll
    static void startBrowser() throws IOException {
        for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(binary)) {
                fail("The console's browser test needs Debian's chromium and chromium-driver, and " + binary + " is missing: "
                        + "apt-get install chromium chromium-driver (.ci/run installs them when missing)");
            }
        }
        profile = Files.createTempDirectory("console-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1600,1000",
                // this machine reaches no outside network: keep chromium from trying
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile);
        ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(driver, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @BeforeEach
    void freshTab() {
        browser.get(api.baseUrl() + "/console/");
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
    }

    @AfterEach
    void logOut() {
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
    }

    @Test
    void anOperatorSeesADeadLetterAndItsRequeueButtonRequeuesTheJob() throws Exception {
        Fixture f = airbnbFixture();
        CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).willReturn(aResponse().withStatus(400)));
        DeadLettered dead = deadLettered(f);
        // the channel takes the push now (the newest stub wins): the requeued job can succeed
        CHANNELS.stubFor(put(urlPathMatching(airbnbPath(f))).willReturn(aResponse().withStatus(200)));

        logIn(OPERATOR_KEY);
        assertThat(browser.findElement(By.id("who")).getText()).startsWith("operator");
        WebElement row = awaitRow(dead.deadLetter());
        assertThat(cell(row, "status")).isEqualTo("open");
        assertThat(cell(row, "sync_log_id")).isEqualTo(Long.toString(dead.job()));
        screenshot("deadletter-listed");

        row.findElement(By.cssSelector("button[data-action=details]")).click();
        WebElement detail = await().atMost(UI_WAIT).ignoreExceptions().until(() -> browser.findElement(By.id("detail")), WebElement::isDisplayed);
        assertThat(detail.getText()).contains("payload").contains(f.listing()).contains("attempts");
        screenshot("deadletter-details");
        row = awaitRow(dead.deadLetter());

        row.findElement(By.cssSelector("button[data-action=requeue]")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> "requeued".equals(
                jdbc.queryForObject("select status from deadletters where id = ?", String.class, dead.deadLetter())));
        awaitStatus(dead.job(), "succeeded", Duration.ofSeconds(10));
        // the page reloads the list: the entry is requeued and has no buttons left
        await().atMost(UI_WAIT).ignoreExceptions().until(() -> "requeued".equals(cell(awaitRow(dead.deadLetter()), "status")));
        assertThat(awaitRow(dead.deadLetter()).findElements(By.cssSelector("button[data-action=requeue]"))).isEmpty();
        assertThat(browser.findElement(By.id("message")).getText()).contains("Requeue " + dead.deadLetter()).contains("202");
        screenshot("deadletter-requeued");

        // every pane answers: a table, an empty list, or (an API this server lacks) "not available"; never an error
        List<String> panes = browser.findElements(By.cssSelector("#tabs button")).stream().map(tab -> tab.getDomAttribute("data-pane")).toList();
        assertThat(panes).containsExactly("deadletters", "webhooks", "health", "reconciliation", "subscriptions");
        for (String pane : panes) {
            browser.findElement(By.cssSelector("#tabs button[data-pane=" + pane + "]")).click();
            await().atMost(UI_WAIT).ignoreExceptions().until(() ->
                    !browser.findElements(By.cssSelector("#list table, #list .empty, #list .unavailable")).isEmpty()
                            || browser.findElement(By.id("message")).getDomAttribute("class").equals("error"));
            assertThat(browser.findElement(By.id("message")).getDomAttribute("class")).as(pane + ": " + messageText()).isNotEqualTo("error");
            screenshot("pane-" + pane);
        }
    }

    @Test
    void anAgencyKeySeesOnlyItsOwnDeadLettersAndAWrongKeyIsRefused() throws Exception {
        Fixture mine = airbnbFixture();
        Fixture other = airbnbFixture();
        CHANNELS.stubFor(put(urlPathMatching("/airbnb/v2/calendars/.*")).willReturn(aResponse().withStatus(400)));
        DeadLettered own = deadLettered(mine);
        DeadLettered foreign = deadLettered(other);

        logIn("csk_not-a-key");
        await().atMost(UI_WAIT).until(() -> browser.findElement(By.id("login-error")).getText().contains("401"));

        logIn(mine.agency().apiKey());
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("agency " + mine.agency().id());
        awaitRow(own.deadLetter());
        assertThat(browser.findElements(By.cssSelector("#list tr[data-id='" + foreign.deadLetter() + "']"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#list tbody tr"))).hasSize(1);
        assertThat(browser.findElements(By.name("agency_id"))).as("the agency filter is for operators").isEmpty();
        screenshot("agency-deadletters");
    }

    @Test
    void theConsolesFilesNeedNoKeyButItsDataDoes() {
        HttpResponse<String> redirect = api.get("/console", null);
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location").orElseThrow()).endsWith("/console/");
        HttpResponse<String> page = api.get("/console/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("channel-sync console");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
        assertThat(api.get("/console/console.js", null).statusCode()).isEqualTo(200);
        assertThat(api.get("/console/console.css", null).statusCode()).isEqualTo(200);
        assertThat(api.get("/api/v1/deadletters", null).statusCode()).isEqualTo(401);
    }

    private void logIn(String key) {
        browser.get(api.baseUrl() + "/console");
        WebElement field = await().atMost(UI_WAIT).ignoreExceptions().until(() -> browser.findElement(By.id("key")), WebElement::isDisplayed);
        field.sendKeys(key);
        browser.findElement(By.id("login-button")).click();
        await().atMost(UI_WAIT).until(() -> browser.findElement(By.id("app")).isDisplayed()
                || !browser.findElement(By.id("login-error")).getText().isEmpty());
    }

    /** The dead letters pane's row of that entry, once listed. */
    private WebElement awaitRow(long deadLetter) {
        return await().atMost(UI_WAIT).ignoreExceptions().until(
                () -> browser.findElement(By.cssSelector("#list tr[data-id='" + deadLetter + "']")), WebElement::isDisplayed);
    }

    private static String cell(WebElement row, String field) {
        return row.findElement(By.cssSelector("td[data-field='" + field + "']")).getText();
    }

    private static String messageText() {
        return browser.findElement(By.id("message")).getText();
    }

    private static void screenshot(String name) throws IOException {
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
