package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.RawHttp;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The answers the proxy makes itself (behaviour.md §4, §6 and §8), on every path: exact statuses
 * in the provider's shape, whether the request would have used the pool, the client's own key,
 * or a route without keys.
 */
class ProxyOwnAnswersTest {

    private static final String POOL_KEY = "sk-pool-0000000000001";
    private static final String USER_KEY = "sk-user-own-key-00000000009";

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

    private void start(String provider, String... params) throws Exception {
        Map<String, String> all = new HashMap<>();
        all.put("provider", provider);
        all.put("baseUrl", upstream.baseUri().toString());
        for (int i = 0; i < params.length; i += 2) {
            all.put(params[i], params[i + 1]);
        }
        proxy = ProxyServer.servlet(all);
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    @Test
    void aBodyAboveMaxBodyBytesGetsA413OnTheByokPathToo() throws Exception {
        upstream.on(USER_KEY, FakeUpstream.ok("{}"));
        start("openai", "keys", POOL_KEY, "maxBodyBytes", "1KiB");

        HttpResponse<String> response = post("/app/openai/v1/chat/completions", "x".repeat(4096),
                "Authorization", "Bearer " + USER_KEY);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response.body()).getJsonObject("error").getString("code")).isEqualTo("request_too_large");
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void aBodyAboveMaxBodyBytesGetsA413OnARouteWithoutKeys() throws Exception {
        upstream.otherwise(FakeUpstream.ok("{}"));
        start("anthropic", "maxBodyBytes", "1KiB");

        HttpResponse<String> response = post("/app/openai/v1/messages", "x".repeat(4096), "X-Api-Key", USER_KEY);

        assertThat(response.statusCode()).isEqualTo(413);
        JsonObject body = json(response.body());
        assertThat(body.getString("type")).isEqualTo("error");
        assertThat(body.getJsonObject("error").getString("type")).isEqualTo("request_too_large");
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void aBodyWithinMaxBodyBytesStillReachesUpstreamOnARouteWithoutKeys() throws Exception {
        upstream.otherwise(FakeUpstream.ok("{\"ok\":1}"));
        start("anthropic", "maxBodyBytes", "1KiB");

        HttpResponse<String> response = post("/app/openai/v1/messages", "{\"a\":\"" + "y".repeat(900) + "\"}",
                "X-Api-Key", USER_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.requests()).singleElement()
                .satisfies(seen -> assertThat(seen.body()).hasSize(908));
    }

    @Test
    void traceIsAnswered405InTheProvidersShape() throws Exception {
        start("openai", "keys", POOL_KEY);

        String answer = RawHttp.exchange(proxy.port(), "TRACE /app/openai/v1/models HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n");

        assertThat(RawHttp.head(answer)).startsWith("HTTP/1.1 405");
        JsonObject error = json(RawHttp.body(answer)).getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("method_not_allowed");
        assertThat(error.getString("message")).contains("TRACE").doesNotContain(POOL_KEY);
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void connectIsAnswered405WhereTheContainerPassesItOn() throws Exception {
        // Jetty refuses CONNECT with a path itself (400); a container that passes it on meets the route's own 405.
        start("anthropic", "keys", POOL_KEY);
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn("CONNECT");
        HttpServletResponse response = mock(HttpServletResponse.class);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        when(response.getOutputStream()).thenReturn(new ServletOutputStream() {
            @Override public boolean isReady() { return true; }
            @Override public void setWriteListener(WriteListener listener) { }
            @Override public void write(int b) { written.write(b); }
        });

        proxy.route().forward(request, response, "/v1/messages");

        verify(response).setStatus(405);
        JsonObject body = json(written.toString(StandardCharsets.UTF_8));
        assertThat(body.getString("type")).isEqualTo("error");
        assertThat(body.getJsonObject("error").getString("message")).contains("CONNECT");
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void anUnreachableUpstreamIsA502ThatCountsThePoolsAttemptButNotAClientsOwn() throws Exception {
        int closedPort;
        try (java.net.ServerSocket unused = new java.net.ServerSocket(0)) {
            closedPort = unused.getLocalPort();
        }
        start("openai", "keys", POOL_KEY, "baseUrl", "http://127.0.0.1:" + closedPort, "retryBackoff", "10ms");

        HttpResponse<String> pooled = post("/app/openai/v1/chat/completions", "{}");
        HttpResponse<String> own = post("/app/openai/v1/chat/completions", "{}", "Authorization", "Bearer " + USER_KEY);

        assertThat(pooled.statusCode()).isEqualTo(502);
        assertThat(pooled.headers().firstValue("X-Keyfailover-Attempts")).as("1 + 2 retries (§18)").hasValue("3");
        assertThat(pooled.headers().firstValue("x-should-retry")).hasValue("false");
        assertThat(own.statusCode()).isEqualTo(502);
        assertThat(own.headers().firstValue("X-Keyfailover-Attempts")).as("not a pool request").isEmpty();
        assertThat(own.headers().firstValue("x-should-retry")).as("BYOK: one attempt, not retried").isEmpty();
    }

    @Test
    void aFullUpstreamConnectionPoolIsATimeoutAnswered504() throws Exception {
        FakeUpstream.Stall stall = FakeUpstream.stall();
        upstream.on(POOL_KEY, stall);
        start("openai", "keys", POOL_KEY, "maxConnections", "1", "connectionRequestTimeout", "200ms");
        CompletableFuture<HttpResponse<String>> holder = client.sendAsync(HttpRequest.newBuilder(
                        proxy.uri("/app/openai/v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests().size() == 1);

        HttpResponse<String> response = post("/app/openai/v1/chat/completions", "{}");

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(json(response.body()).getJsonObject("error").getString("code")).isEqualTo("timeout");
        assertThat(response.headers().firstValue("X-Keyfailover-Attempts")).hasValue("1");
        stall.release();
        assertThat(holder.get().statusCode()).isNotEqualTo(504);
    }
}
