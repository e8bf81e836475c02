package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import dev.keyfailover.chain.LogThrottle;
import dev.keyfailover.settings.ClientToken;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.logging.CapturedLogs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** behaviour.md §13: client tokens in the provider's own credential headers, over HTTP. */
class ClientTokenTest {

    private static final String POOL_KEY = "sk-pool-key-0000000001";
    private static final String ALICE = "tok-alice-0123456789abcdef";
    private static final String BOB = "tok-bob-0123456789abcdef";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start().keyHeader("x-goog-api-key");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MutableClock clock = MutableClock.atFixedStart();
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private void start(String provider, Map<String, String> more) throws Exception {
        upstream.on(POOL_KEY, FakeUpstream.ok("{\"served\":true}"));
        Map<String, String> params = new HashMap<>(Map.of("provider", provider, "name", "openai",
                "baseUrl", upstream.baseUri().toString(), "keys", POOL_KEY,
                "clientTokens", "alice:" + ALICE + ",bob:" + BOB + ":elsewhere|other"));
        params.putAll(more);
        proxy = ProxyServer.servlet(params, clock, Map.of(RouteLifecycle.METER_REGISTRY_ATTRIBUTE, registry));
    }

    private HttpResponse<String> send(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri("/app/openai" + path))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\"}"));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The counter's count; -1 when there is none. */
    private double requests(String outcome, String clientName) {
        var counter = registry.find("keyfailover.requests").tag("outcome", outcome).tag("client", clientName).counter();
        return counter == null ? -1 : counter.count();
    }

    /** The route counts a request once its answer is written, which the client may have read a moment before. */
    private void assertCounted(String outcome, String clientName, double expected) {
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(requests(outcome, clientName)).isEqualTo(expected));
    }

    @Test
    void aKnownTokenIsTakenOffAndAPoolKeyPutInItsPlace() throws Exception {
        start("openai", Map.of("dumpDir", System.getProperty("java.io.tmpdir") + "/kf-token-dump-" + System.nanoTime()));

        HttpResponse<String> answer = send("/v1/chat/completions", "Authorization", "Bearer " + ALICE);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"served\":true}");
        assertThat(upstream.keysSeen()).containsExactly(POOL_KEY);
        assertThat(upstream.requests().get(0).headers().toString()).doesNotContain(ALICE);
        assertCounted("served", "alice", 1.0);
        assertCounted("served", "none", 0.0);
    }

    @Test
    void noTokenOrAnUnknownOneGetsAnOpenAiShaped401AndNothingGoesUpstream() throws Exception {
        start("openai", Map.of());

        HttpResponse<String> none = send("/v1/chat/completions");
        HttpResponse<String> unknown = send("/v1/chat/completions", "Authorization", "Bearer sk-placeholder");

        for (HttpResponse<String> answer : java.util.List.of(none, unknown)) {
            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(answer.body()).contains("\"type\":\"invalid_request_error\"", "\"code\":\"invalid_api_key\"")
                    .doesNotContain("sk-placeholder");
        }
        assertThat(upstream.requests()).isEmpty();
        assertCounted("unauthorized", "none", 2.0);
    }

    @Test
    void anthropicTakesTheTokenInXApiKeyOrBearerAndRefusesInItsShape() throws Exception {
        start("anthropic", Map.of());

        HttpResponse<String> apiKey = send("/v1/messages", "x-api-key", ALICE);
        HttpResponse<String> bearer = send("/v1/messages", "Authorization", "Bearer " + ALICE);
        HttpResponse<String> wrong = send("/v1/messages", "x-api-key", "sk-ant-someone-elses");

        assertThat(apiKey.statusCode()).isEqualTo(200);
        assertThat(bearer.statusCode()).isEqualTo(200);
        assertThat(upstream.keysSeen()).containsExactly(POOL_KEY, POOL_KEY);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("\"type\":\"error\"", "\"type\":\"authentication_error\"");
    }

    @Test
    void geminiTakesTheTokenInItsHeaderOrKeyParameterAndRefusesInGooglesShape() throws Exception {
        start("gemini", Map.of());

        HttpResponse<String> header = send("/v1beta/models/gemini-2.5-flash:generateContent", "x-goog-api-key", ALICE);
        HttpResponse<String> query = send("/v1beta/models/gemini-2.5-flash:generateContent?alt=sse&key=" + ALICE);
        HttpResponse<String> wrong = send("/v1beta/models/gemini-2.5-flash:generateContent?key=AIzaNotOurs");

        assertThat(header.statusCode()).isEqualTo(200);
        assertThat(query.statusCode()).isEqualTo(200);
        assertThat(upstream.keysSeen()).containsExactly(POOL_KEY, POOL_KEY);
        assertThat(upstream.requests().get(1).query()).isEqualTo("alt=sse");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("\"code\":401", "\"status\":\"UNAUTHENTICATED\"");
    }

    @Test
    void aTokenLimitedToOtherRoutesIsRefusedHere() throws Exception {
        start("openai", Map.of());

        HttpResponse<String> answer = send("/v1/chat/completions", "Authorization", "Bearer " + BOB);

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void aHashedTokenIsMatchedByItsDigest() throws Exception {
        String digest = HexFormat.of().formatHex(ClientToken.sha256("tok-carol-0123456789abcdef"));
        start("openai", Map.of("clientTokens", "carol:sha256:" + digest));

        HttpResponse<String> answer = send("/v1/chat/completions", "Authorization", "Bearer tok-carol-0123456789abcdef");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertCounted("served", "carol", 1.0);
    }

    @Test
    void onlyAnExplicitByokAllowMakesAnUnknownCredentialTheClientsOwnKey() throws Exception {
        upstream.on("sk-users-own-key-000001", FakeUpstream.ok("{\"own\":true}"));
        start("openai", Map.of("byok", "allow"));

        HttpResponse<String> own = send("/v1/chat/completions", "Authorization", "Bearer sk-users-own-key-000001");
        HttpResponse<String> token = send("/v1/chat/completions", "Authorization", "Bearer " + ALICE);

        assertThat(own.body()).isEqualTo("{\"own\":true}");
        assertThat(token.body()).isEqualTo("{\"served\":true}");
        assertThat(upstream.keysSeen()).containsExactly("sk-users-own-key-000001", POOL_KEY);
        assertCounted("byok", "none", 1.0);
    }

    @Test
    void tooManyFailedCredentialsFromOneAddressGet429ForAMinute() throws Exception {
        start("openai", Map.of("authFailureLimit", "3"));

        for (int i = 0; i < 3; i++) {
            assertThat(send("/v1/chat/completions", "Authorization", "Bearer wrong-" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> blocked = send("/v1/chat/completions", "Authorization", "Bearer " + ALICE);
        clock.advance(Duration.ofSeconds(59));
        HttpResponse<String> stillBlocked = send("/v1/chat/completions", "Authorization", "Bearer " + ALICE);
        clock.advance(Duration.ofSeconds(2));
        HttpResponse<String> again = send("/v1/chat/completions", "Authorization", "Bearer " + ALICE);

        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.headers().firstValue("Retry-After")).contains("60");
        assertThat(blocked.body()).contains("rate_limit_error");
        assertThat(stillBlocked.statusCode()).isEqualTo(429);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(upstream.requests()).hasSize(1);
    }

    @Test
    void behindATrustedProxyTheForwardedAddressIsTheOneCounted() throws Exception {
        start("openai", Map.of("authFailureLimit", "2", "trustedProxies", "127.0.0.0/8, ::1, 10.0.0.0/8"));

        for (int i = 0; i < 2; i++) {
            send("/v1/chat/completions", "Authorization", "Bearer wrong", "X-Forwarded-For", "203.0.113.9, 10.0.0.1");
        }
        HttpResponse<String> attacker = send("/v1/chat/completions", "Authorization", "Bearer " + ALICE,
                "X-Forwarded-For", "203.0.113.9");
        HttpResponse<String> other = send("/v1/chat/completions", "Authorization", "Bearer " + ALICE,
                "X-Forwarded-For", "198.51.100.7");

        assertThat(attacker.statusCode()).isEqualTo(429);
        assertThat(other.statusCode()).isEqualTo(200);
    }

    @Test
    void withoutATrustedProxyXForwardedForIsIgnored() throws Exception {
        start("openai", Map.of("authFailureLimit", "2"));

        send("/v1/chat/completions", "Authorization", "Bearer wrong", "X-Forwarded-For", "203.0.113.1");
        send("/v1/chat/completions", "Authorization", "Bearer wrong", "X-Forwarded-For", "203.0.113.2");
        HttpResponse<String> spoofed = send("/v1/chat/completions", "Authorization", "Bearer " + ALICE,
                "X-Forwarded-For", "198.51.100.7");

        assertThat(spoofed.statusCode()).isEqualTo(429);
    }

    @Test
    void refusalsFromManyAddressesAreOneLinePerWindowNamingTheAddressOfTheRequestLogged() throws Exception {
        start("openai", Map.of("trustedProxies", "127.0.0.0/8, ::1"));
        CapturedLogs.clear();

        for (int i = 1; i <= 50; i++) {
            assertThat(send("/v1/chat/completions", "Authorization", "Bearer tok-sprayed-" + i + "-0123456789abcdef",
                    "X-Forwarded-For", "203.0.113." + i).statusCode()).isEqualTo(401);
        }
        clock.advance(LogThrottle.WINDOW);
        assertThat(send("/v1/chat/completions", "Authorization", "Bearer tok-sprayed-last-0123456789abcdef",
                "X-Forwarded-For", "198.51.100.7").statusCode()).isEqualTo(401);

        java.util.List<String> refusals = CapturedLogs.events().stream().map(CapturedLogs.Event::message)
                .filter(message -> message.startsWith("openai: refused a request from ")).toList();
        assertThat(refusals).hasSize(2);
        assertThat(refusals.get(0)).startsWith("openai: refused a request from 203.0.113.1: unknown API key ")
                .doesNotContain("more like it");
        assertThat(refusals.get(1)).startsWith("openai: refused a request from 198.51.100.7: unknown API key ")
                .endsWith("(49 more like it in the 10 s after the last one logged)");
        assertThat(String.join("\n", refusals)).doesNotContain("0123456789abcdef");
    }

    @Test
    void tokensAppearInNoLogLineButTheClientsNameDoes() throws Exception {
        CapturedLogs.clear();
        try (AutoCloseable everyLevel = CapturedLogs.atEveryLevel()) {
            start("openai", Map.of());
            send("/v1/chat/completions", "Authorization", "Bearer " + ALICE);
            send("/v1/chat/completions", "Authorization", "Bearer tok-mallory-0123456789abcdef");
        }

        // The container's own DEBUG lines print what the client sent; the proxy's and HttpClient's never do.
        String logs = String.join("\n", CapturedLogs.events().stream()
                .filter(event -> event.logger().startsWith("dev.keyfailover") || event.logger().startsWith("org.apache.hc"))
                .map(CapturedLogs.Event::toString).toList());
        assertThat(logs).doesNotContain(ALICE, BOB, "tok-mallory-0123456789abcdef")
                .contains("alice", "unknown API key tok-…cdef");
    }
}
