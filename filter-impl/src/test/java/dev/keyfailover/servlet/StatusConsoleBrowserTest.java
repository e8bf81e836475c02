package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import dev.keyfailover.pool.KeyFingerprint;
import dev.keyfailover.testing.Chromium;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.ProxyServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * behaviour.md §14: the status page as an admin console, driven in headless Chromium as a person
 * would (typing, clicking), and the pool checked over the admin API after each step; §13: what a
 * visitor without the token sees; what a client-chosen model name can do to the page.
 */
class StatusConsoleBrowserTest {

    private static final String K1 = "sk-console-key-00000000001";
    private static final String K2 = "sk-console-key-00000000002";
    private static final String NEW = "sk-console-key-0000000new3";
    private static final String MARKUP = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'"
            + "</script>";
    private static final String BUTTONS = "document.querySelectorAll('button[data-action]').length";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start();
    private ProxyServer proxy;

    @BeforeAll
    static void needsChromium() {
        Assumptions.assumeTrue(Chromium.BINARY.canExecute(),
                "Chromium is not installed at /usr/bin/chromium (.ci/run installs Debian's 'chromium' package as root)");
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private void start(String statusAccess, String keys) throws Exception {
        proxy = ProxyServer.servlet(Map.of("provider", "openai", "baseUrl", upstream.baseUri().toString(), "keys", keys),
                MutableClock.atFixedStart(), Map.of(), Map.of("statusAccess", statusAccess, "adminToken", ProxyServer.ADMIN_TOKEN,
                        "adminPath", "admin"));
    }

    @Test
    void anAdminAddsDisablesEnablesTestsAndRemovesAKeyThroughThePage(@TempDir Path profile) throws Exception {
        upstream.otherwise(FakeUpstream.ok("{\"data\":[]}"));
        start("protected", K1);
        String added = KeyFingerprint.of(NEW);
        try (Chromium browser = Chromium.start(profile)) {
            browser.open(proxy.uri("/app/status"));
            assertThat(browser.eval("document.querySelectorAll('tr[data-fingerprint]').length")).isEqualTo("0");
            assertThat(browser.eval(BUTTONS)).isEqualTo("0");

            type(browser, "admin-token", ProxyServer.ADMIN_TOKEN);
            browser.eval("document.getElementById('use-token').click()");
            browser.awaitTrue("document.querySelector('tr[data-fingerprint] button[data-action=disable]')");
            assertThat(browser.eval("document.getElementById('admin-token').value")).isEmpty();

            type(browser, "add-key", NEW);
            type(browser, "add-label", "bought today");
            browser.eval("document.getElementById('add').click()");
            browser.awaitTrue(row(added) + " && " + row(added) + ".querySelector('button[data-action=remove]')");
            assertThat(keys()).containsEntry(added, "api|bought today|VALID|false");
            assertThat(message(browser)).contains("1 added").doesNotContain(NEW);
            assertThat(browser.eval("document.body.innerHTML.includes('" + NEW + "')")).isEqualTo("false");

            click(browser, added, "disable");
            await().atMost(Duration.ofSeconds(30)).until(() -> "api|bought today|DISABLED|true".equals(keys().get(added)));
            browser.awaitTrue(row(added) + ".querySelector('td.DISABLED')");

            click(browser, added, "enable");
            await().atMost(Duration.ofSeconds(30)).until(() -> "api|bought today|VALID|false".equals(keys().get(added)));
            browser.awaitTrue(row(added) + ".querySelector('td.VALID')");

            upstream.clearRequests();
            click(browser, added, "test");
            browser.awaitTrue("document.getElementById('console-message').textContent.includes('upstream answered 200')");
            assertThat(upstream.requests()).singleElement().satisfies(request -> {
                assertThat(request.path()).isEqualTo("/v1/models");
                assertThat(request.header("Authorization")).isEqualTo("Bearer " + NEW);
            });

            click(browser, added, "remove");
            await().atMost(Duration.ofSeconds(30)).until(() -> !keys().containsKey(added));
            browser.awaitTrue("!" + row(added));
            assertThat(keys()).containsOnlyKeys(KeyFingerprint.of(K1));

            // The token is kept for the tab: a reload shows the actions without asking again.
            browser.open(proxy.uri("/app/status"));
            browser.awaitTrue("document.querySelector('tr[data-fingerprint] button[data-action=disable]')");
        }
    }

    @Test
    void withoutTheTokenThePageOffersNoActionsRefreshesItselfAndForgetsAWrongToken(@TempDir Path profile) throws Exception {
        start("public", K1 + "," + K2);
        try (Chromium browser = Chromium.start(profile)) {
            browser.open(proxy.uri("/app/status"));
            assertThat(browser.eval("document.querySelectorAll('tr[data-fingerprint]').length")).isEqualTo("2");
            assertThat(browser.eval(BUTTONS)).isEqualTo("0");
            assertThat(browser.eval("document.getElementById('actions').hidden")).isEqualTo("true");
            assertThat(browser.eval("document.getElementById('login').hidden")).isEqualTo("false");

            // The page refreshes itself and keeps what is being typed.
            type(browser, "admin-token", "half-typed");
            HttpResponse<String> disabled = client.send(HttpRequest.newBuilder(proxy.uri("/app/admin/keys/"
                    + KeyFingerprint.of(K2) + "/disable?route=openai")).header("Authorization", "Bearer "
                    + ProxyServer.ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(disabled.statusCode()).isEqualTo(200);
            browser.awaitTrue(row(KeyFingerprint.of(K2)) + ".querySelector('td.DISABLED')");
            assertThat(browser.eval("document.getElementById('admin-token').value")).isEqualTo("half-typed");
            assertThat(browser.eval(BUTTONS)).isEqualTo("0");

            type(browser, "admin-token", "not-the-admin-token-0123456789abcdef");
            browser.eval("document.getElementById('use-token').click()");
            browser.awaitTrue("document.getElementById('console-message').textContent.includes('may not act')");
            assertThat(browser.eval(BUTTONS)).isEqualTo("0");
            assertThat(browser.eval("document.getElementById('actions').hidden")).isEqualTo("true");
            assertThat(browser.eval("sessionStorage.length")).isEqualTo("0");
        }
    }

    @Test
    void aModelNameFullOfMarkupIsShownAsTextAndNeverRuns(@TempDir Path profile) throws Exception {
        upstream.on(K1, MARKUP, FakeUpstream.rateLimited("30")).otherwise(FakeUpstream.ok("{}"));
        start("public", K1 + "," + K2);
        String body = "{\"model\":\"" + MARKUP.replace("\"", "\\\"") + "\",\"messages\":[]}";
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        try (Chromium browser = Chromium.start(profile)) {
            browser.open(proxy.uri("/app/status"));
            assertNothingRan(browser);

            // The same after the script swapped in a fresh copy of the page (the admin's view).
            type(browser, "admin-token", ProxyServer.ADMIN_TOKEN);
            browser.eval("document.getElementById('use-token').click()");
            browser.awaitTrue("document.querySelector('button[data-action=remove]')");
            assertNothingRan(browser);

            // And a script put into the page some other way is refused by the Content-Security-Policy.
            browser.eval("window.violations = 0; document.addEventListener('securitypolicyviolation', "
                    + "() => window.violations++); const injected = document.createElement('script'); "
                    + "injected.textContent = \"document.title = 'injected'\"; document.body.appendChild(injected);");
            browser.awaitTrue("window.violations > 0");
            assertThat(browser.eval("document.title")).isEqualTo("keyfailover status");
        }
    }

    private static void assertNothingRan(Chromium browser) {
        assertThat(browser.eval("document.querySelector('tr[data-fingerprint] td.models').textContent"))
                .isEqualTo(MARKUP + ": cooling 30 s");
        assertThat(browser.eval("document.title")).isEqualTo("keyfailover status");
        assertThat(browser.eval("document.images.length")).isEqualTo("0");
        assertThat(browser.eval("document.scripts.length")).isEqualTo("1");
    }

    private static String row(String fingerprint) {
        return "document.querySelector('tr[data-fingerprint=\"" + fingerprint + "\"]')";
    }

    private static void type(Chromium browser, String id, String text) {
        browser.eval("document.getElementById('" + id + "').value = '" + text + "'");
    }

    private static void click(Chromium browser, String fingerprint, String action) {
        browser.eval(row(fingerprint) + ".querySelector('button[data-action=" + action + "]').click()");
    }

    private static String message(Chromium browser) {
        return browser.eval("document.getElementById('console-message').textContent");
    }

    /** fingerprint -> "source|label|state|adminDisabled" of the route's keys, from the admin API. */
    private Map<String, String> keys() throws Exception {
        HttpResponse<String> list = client.send(HttpRequest.newBuilder(proxy.uri("/app/admin/keys?route=openai"))
                .header("Authorization", "Bearer " + ProxyServer.ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
        Map<String, String> keys = new TreeMap<>();
        for (JsonValue value : AdminKeysServlet.object(list.body()).getJsonArray("keys")) {
            JsonObject key = value.asJsonObject();
            keys.put(key.getString("fingerprint"), key.getString("source") + "|" + key.getString("label") + "|"
                    + key.getString("state") + "|" + key.getBoolean("adminDisabled"));
        }
        return keys;
    }
}
