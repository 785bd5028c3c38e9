package org.geoward.web

import org.openqa.selenium.By
import org.openqa.selenium.JavascriptExecutor
import org.openqa.selenium.OutputType
import org.openqa.selenium.StaleElementReferenceException
import org.openqa.selenium.WebElement
import org.openqa.selenium.chrome.ChromeDriver
import org.openqa.selenium.chrome.ChromeDriverService
import org.openqa.selenium.chrome.ChromeOptions
import org.openqa.selenium.support.ui.ExpectedConditions
import org.openqa.selenium.support.ui.WebDriverWait

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.time.Duration

/**
 * Debian's headless Chromium driven by its chromedriver, with a fresh profile, nothing fetched from the network,
 * and the browser's language set to Chinese as most users' are.
 */
class Browser implements Closeable {
    final ChromeDriver driver
    final String base
    final Path profile = Files.createTempDirectory('geoward-chromium')

    Browser(String base, String lang = 'zh-CN') {
        this.base = base
        def options = new ChromeOptions()
        options.setBinary('/usr/bin/chromium')
        options.addArguments('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
                '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update',
                '--disable-sync', '--disable-extensions', '--window-size=1400,900', "--lang=$lang".toString(),
                "--user-data-dir=$profile".toString())
        options.setExperimentalOption('prefs', ['intl.accept_languages': lang])
        def service = new ChromeDriverService.Builder().usingDriverExecutable(new File('/usr/bin/chromedriver')).build()
        driver = new ChromeDriver(service, options)
    }

    void open(String path = '/') {
        driver.get(base + path)
    }

    /** Opens the console with nothing remembered: no token, no language, no settings. */
    void fresh() {
        open('/')
        js('localStorage.clear()')
        open('/')
    }

    Object js(String script, Object... args) {
        (driver as JavascriptExecutor).executeScript(script, args)
    }

    Object asyncJs(String script, Object... args) {
        (driver as JavascriptExecutor).executeAsyncScript(script, args)
    }

    WebElement waitFor(String css, int seconds = 15) {
        new WebDriverWait(driver, Duration.ofSeconds(seconds)).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)))
    }

    WebElement waitForPresent(String css, int seconds = 15) {
        new WebDriverWait(driver, Duration.ofSeconds(seconds)).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)))
    }

    /** Waits for condition; elements replaced by a re-render meanwhile (stale references) just mean try again. */
    void waitUntil(int seconds = 15, Closure<Boolean> condition) {
        new WebDriverWait(driver, Duration.ofSeconds(seconds)).ignoring(StaleElementReferenceException).until { condition() }
    }

    /** Clicks the element once visible; if a re-render replaces it under the click, finds it again. */
    void click(String css, int seconds = 15) {
        waitUntil(seconds) {
            waitFor(css, seconds).click()
            true
        }
    }

    WebElement find(String css) {
        driver.findElement(By.cssSelector(css))
    }

    void logIn(String username, String password) {
        waitFor('#username').sendKeys(username)
        find('#password').sendKeys(password)
        find('#login-submit').click()
    }

    /** Saves a PNG under target/screenshots. */
    void screenshot(String name) {
        Path dir = Path.of('target', 'screenshots')
        Files.createDirectories(dir)
        File shot = driver.getScreenshotAs(OutputType.FILE)
        Files.copy(shot.toPath(), dir.resolve(name + '.png'), StandardCopyOption.REPLACE_EXISTING)
    }

    List<String> consoleErrors() {
        driver.manage().logs().get('browser').all.findAll { it.level.intValue() >= 1000 }*.message
    }

    @Override
    void close() {
        driver.quit()
        profile.toFile().deleteDir()
    }
}
