package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §13, §14: the status page's answers over HTTP: a strict Content-Security-Policy that
 * allows its own script and style by hash and nothing else, nosniff and no referrer, and no data
 * for a visitor who may not read it.
 */
class StatusPageHeadersTest {

    private static final String KEY = "sk-headers-key-0000000001";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start();
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private void start(Map<String, String> statusParams) throws Exception {
        proxy = ProxyServer.servlet(Map.of("provider", "openai", "baseUrl", upstream.baseUri().toString(), "keys", KEY),
                null, Map.of(), statusParams);
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri("/app" + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageAllowsOnlyItsOwnScriptAndStyleByHash() throws Exception {
        start(Map.of("statusAccess", "public", "adminToken", ProxyServer.ADMIN_TOKEN, "adminPath", "admin"));

        HttpResponse<String> page = get("/status", null);

        assertThat(page.statusCode()).isEqualTo(200);
        List<String> policy = Arrays.stream(page.headers().firstValue("Content-Security-Policy").orElseThrow()
                .split(";")).map(String::trim).toList();
        assertThat(policy).containsExactlyInAnyOrder("default-src 'none'",
                "script-src 'sha256-" + sha256(between(page.body(), "<script>", "</script>")) + "'",
                "style-src 'sha256-" + sha256(between(page.body(), "<style>", "</style>")) + "'",
                "connect-src 'self'", "img-src 'self' data:", "base-uri 'none'", "form-action 'none'",
                "frame-ancestors 'none'");
        assertThat(page.body()).containsOnlyOnce("<script").doesNotContainPattern("\\son[a-z]+=")
                .doesNotContain("style=\"", "http-equiv");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.body()).contains("data-admin-path=\"admin\"", "data-may-act=\"false\"");
        HttpResponse<String> json = get("/status.json", null);
        assertThat(json.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void aVisitorWhoMayNotReadGetsOnlyWhereToEnterTheToken() throws Exception {
        start(Map.of("adminToken", ProxyServer.ADMIN_TOKEN, "adminPath", "admin"));

        HttpResponse<String> none = get("/status", null);
        HttpResponse<String> wrong = get("/status", "Bearer not-the-admin-token-0123456789abcdef");
        HttpResponse<String> admin = get("/status", "Bearer " + ProxyServer.ADMIN_TOKEN);

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
        assertThat(none.headers().firstValue("Content-Security-Policy")).get().asString().startsWith("default-src 'none'");
        assertThat(wrong.statusCode()).isEqualTo(403);
        for (HttpResponse<String> refused : List.of(none, wrong)) {
            assertThat(refused.body()).contains("id=\"admin-token\"", "data-readable=\"false\"");
            assertThat(between(refused.body(), "<main", "</main>")).doesNotContain("sk-h…0001", "<table", "openai");
        }
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).contains("data-may-act=\"true\"", "sk-h…0001", "data-fingerprint=\"");
    }

    @Test
    void anAdminPathToAnotherSiteStopsTheDeploymentNamingIt() {
        Throwable failure = catchThrowable(() -> start(Map.of("statusAccess", "public",
                "adminPath", "//elsewhere.example/admin")));

        String messages = "";
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages += cause.getMessage() + "\n";
        }
        assertThat(messages).contains("servlet 'status'", "'adminPath'", "e.g. 'admin'");
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start) + start.length();
        return text.substring(from, text.indexOf(end, from));
    }

    private static String sha256(String text) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
