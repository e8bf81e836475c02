package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import dev.keyfailover.pool.KeyState;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.logging.CapturedLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** behaviour.md §13: who may read the status surface and who may reset a key, over HTTP. */
class AdminAccessTest {

    private static final String TOKEN = "admin-token-0123456789abcdef01234567";
    private static final String REVOKED = "sk-revoked-000000001";

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

    private Map<String, String> route() {
        upstream.on(REVOKED, FakeUpstream.status(401)).on("sk-good-0000000000002", FakeUpstream.ok("{}"));
        return Map.of("provider", "openai", "baseUrl", upstream.baseUri().toString(),
                "keys", REVOKED + ",sk-good-0000000000002", "authRecheck", "never");
    }

    private void start(Map<String, String> statusParams) throws Exception {
        proxy = ProxyServer.servlet(route(), null, Map.of(), statusParams);
        disableTheFirstKey();
    }

    private void disableTheFirstKey() throws Exception {
        client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/models")).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(proxy.route().pool().snapshot().get(0).state()).isEqualTo(KeyState.DISABLED);
    }

    private HttpResponse<String> read(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri("/app" + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> reset(String authorization, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri("/app/status.json?provider=openai&key=0"))
                .header("X-Keyfailover-Action", "reset").POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private KeyState firstKey() {
        return proxy.route().pool().snapshot().get(0).state();
    }

    @Test
    void theStatusPageAndJsonNeedACredentialUnlessPublic() throws Exception {
        start(Map.of("adminToken", TOKEN));

        for (String path : new String[] {"/status", "/status.json"}) {
            HttpResponse<String> none = read(path, null);
            HttpResponse<String> wrong = read(path, "Bearer not-the-admin-token-0123456789abcdef");
            HttpResponse<String> right = read(path, "Bearer " + TOKEN);

            assertThat(none.statusCode()).as(path).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
            assertThat(none.body()).doesNotContain("sk-");
            assertThat(wrong.statusCode()).as(path).isEqualTo(403);
            assertThat(right.statusCode()).as(path).isEqualTo(200);
            assertThat(right.body()).contains("DISABLED");
        }
    }

    @Test
    void statusAccessPublicOpensReadingButNotActions() throws Exception {
        start(Map.of("adminToken", TOKEN, "statusAccess", "public"));

        assertThat(read("/status.json", null).statusCode()).isEqualTo(200);
        assertThat(reset(null, null).statusCode()).isEqualTo(401);
        assertThat(firstKey()).isEqualTo(KeyState.DISABLED);
    }

    @Test
    void aResetNeedsTheAdminTokenAndEachAttemptIsAudited() throws Exception {
        start(Map.of("adminToken", TOKEN));
        CapturedLogs.clear();

        HttpResponse<String> none = reset(null, null);
        HttpResponse<String> wrong = reset("Bearer not-the-admin-token-0123456789abcdef", null);
        assertThat(firstKey()).isEqualTo(KeyState.DISABLED);
        HttpResponse<String> right = reset("Bearer " + TOKEN, null);

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(firstKey()).isEqualTo(KeyState.VALID);
        var audit = CapturedLogs.events().stream().filter(event -> event.logger().equals("keyfailover.audit"))
                .map(CapturedLogs.Event::message).toList();
        assertThat(audit).hasSize(3);
        assertThat(audit.get(0)).contains("reset of key #0 of 'openai'", "refused (401)");
        assertThat(audit.get(1)).contains("refused (403)");
        assertThat(audit.get(2)).contains("admin token", "sk-…001", "done");
        assertThat(String.join("\n", audit)).doesNotContain(TOKEN, REVOKED);
    }

    @Test
    void aFormPostIsRefusedEvenWithTheToken() throws Exception {
        start(Map.of("adminToken", TOKEN));

        HttpResponse<String> form = reset("Bearer " + TOKEN, "application/x-www-form-urlencoded");
        HttpResponse<String> text = reset("Bearer " + TOKEN, "text/plain");
        HttpResponse<String> json = reset("Bearer " + TOKEN, "application/json");

        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(json.statusCode()).isEqualTo(200);
    }

    @Test
    void withNoAdminCredentialConfiguredAnActionIsRefusedSayingHowToConfigureOne() throws Exception {
        start(Map.of("statusAccess", "public"));

        HttpResponse<String> answer = reset("Bearer " + TOKEN, null);

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).contains("adminToken", "keyfailover-admin");
        assertThat(firstKey()).isEqualTo(KeyState.DISABLED);
    }

    /** A deployment that protects its status but configured no admin token: the 401 says what would open it. */
    @Test
    void withNoAdminCredentialConfiguredReadingIsRefusedSayingHowToConfigureOne() throws Exception {
        start(Map.of());

        HttpResponse<String> answer = read("/status.json", null);

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).contains("no admin token is configured", "adminToken", "statusAccess=public",
                "keyfailover-viewer");
    }

    @Test
    void adminAccessOpenLetsAnyoneAct() throws Exception {
        start(Map.of("statusAccess", "public", "adminAccess", "open"));

        assertThat(reset(null, null).statusCode()).isEqualTo(200);
        assertThat(firstKey()).isEqualTo(KeyState.VALID);
    }

    @Test
    void anAdminTokenShorterThan32CharactersStopsTheDeploymentNamingIt() {
        Throwable failure = catchThrowable(() -> ProxyServer.servlet(route(), null, Map.of(),
                Map.of("adminToken", "short-SECRET")));

        assertThat(failure).isNotNull();
        String messages = "";
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages += cause.getMessage() + "\n";
        }
        assertThat(messages).contains("servlet 'status'", "'adminToken'", "32").doesNotContain("short-SECRET");
    }

    @Test
    void theContainerRolesDecideForALoggedInUser() throws Exception {
        proxy = ProxyServer.statusBehindBasicAuth(route(), Map.of());
        disableTheFirstKey();

        assertThat(read("/status.json", null).statusCode()).isEqualTo(401);
        assertThat(read("/status.json", basic("nobody", "nobody-pw")).statusCode()).isEqualTo(403);
        assertThat(read("/status.json", basic("viewer", "viewer-pw")).statusCode()).isEqualTo(200);
        assertThat(read("/status.json", basic("admin", "admin-pw")).statusCode()).isEqualTo(200);
        assertThat(reset(basic("viewer", "viewer-pw"), null).statusCode()).isEqualTo(403);
        assertThat(firstKey()).isEqualTo(KeyState.DISABLED);
        assertThat(reset(basic("admin", "admin-pw"), null).statusCode()).isEqualTo(200);
        assertThat(firstKey()).isEqualTo(KeyState.VALID);
    }
}
