package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §10 through the servlet: {@code X-Keyfailover-Attempts} on every answer to a pool
 * request, {@code X-Keyfailover-Key} (a masked hint, never the key) only with
 * {@code exposeKeyHint=true}; and §9: an error body judged from a peek still reaches the client whole.
 */
class PoolAnswerHeadersOverHttpTest {

    private static final String K1 = "sk-hint-first-key-0000000001";
    private static final String K2 = "sk-hint-second-key-000000002";
    private static final String BODY = "{\"model\":\"gpt-a\",\"messages\":[]}";

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

    private void start(String... more) throws Exception {
        Map<String, String> params = new HashMap<>();
        params.put("provider", "openai");
        params.put("baseUrl", upstream.baseUri().toString());
        params.put("keys", K1 + "," + K2);
        for (int i = 0; i < more.length; i += 2) {
            params.put(more[i], more[i + 1]);
        }
        proxy = ProxyServer.servlet(params);
    }

    private HttpResponse<byte[]> post(String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri("/app/openai/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void exposeKeyHintNamesTheServingKeyMaskedAfterFailover() throws Exception {
        upstream.on(K1, FakeUpstream.status(401)).on(K2, FakeUpstream.ok("{}"));
        start("exposeKeyHint", "true");

        HttpResponse<byte[]> response = post();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Keyfailover-Attempts")).hasValue("2");
        assertThat(response.headers().firstValue("X-Keyfailover-Key")).hasValue("sk-h...0002");
        assertThat(response.headers().map().toString()).doesNotContain(K1, K2);
    }

    @Test
    void theServingKeyIsNotNamedByDefault() throws Exception {
        upstream.on(K1, FakeUpstream.ok("{}"));
        start();

        HttpResponse<byte[]> response = post();

        assertThat(response.headers().firstValue("X-Keyfailover-Attempts")).hasValue("1");
        assertThat(response.headers().firstValue("X-Keyfailover-Key")).isEmpty();
    }

    @Test
    void exposeKeyHintNamesNoKeyOnAnAnswerOfTheProxysOwn() throws Exception {
        upstream.on(K1, FakeUpstream.rateLimited("30")).on(K2, FakeUpstream.rateLimited("30"));
        start("exposeKeyHint", "true");

        HttpResponse<byte[]> response = post();

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("X-Keyfailover-Attempts")).hasValue("2");
        assertThat(response.headers().firstValue("X-Keyfailover-Key")).isEmpty();
    }

    @Test
    void aByokAnswerCarriesNeitherHeader() throws Exception {
        upstream.on("sk-user-own-key-0000000009", FakeUpstream.ok("{}"));
        start("exposeKeyHint", "true");

        HttpResponse<byte[]> response = post("Authorization", "Bearer sk-user-own-key-0000000009");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Keyfailover-Attempts")).isEmpty();
        assertThat(response.headers().firstValue("X-Keyfailover-Key")).isEmpty();
    }

    @Test
    void aLarge400NotAboutCreditReachesTheClientByteForByte() throws Exception {
        StringBuilder text = new StringBuilder("{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"");
        for (int i = 0; text.length() < 100 * 1024; i++) {
            text.append(i).append(' ');
        }
        byte[] body = text.append("\"}}").toString().getBytes(StandardCharsets.UTF_8);
        upstream.on(K1, FakeUpstream.json(400, "").withBody(body)).on(K2, FakeUpstream.ok("{}"));
        start();

        HttpResponse<byte[]> response = post();

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo(body);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(body.length);
        assertThat(upstream.keysSeen()).containsExactly(K1);
        // Let go once the route has written the answer, which the client may have read whole a moment before.
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(proxy.route().client().connectionStats().getLeased()).isZero());
    }
}
