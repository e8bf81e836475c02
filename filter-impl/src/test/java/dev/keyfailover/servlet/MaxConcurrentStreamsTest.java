package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.RawHttp;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * maxConcurrentStreams through real sockets: a request over the limit is refused at once with a
 * provider-shaped 503 and {@code Retry-After}, while the streams holding the places stay open;
 * every way a request can end gives its place back.
 */
class MaxConcurrentStreamsTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(BOUND).build();
    private final FakeUpstream upstream = FakeUpstream.start();
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    /** A route without a pool: each client brings the key that picks its upstream behaviour. */
    private static Map<String, String> route(String provider, String baseUrl, String maxConcurrentStreams) {
        Map<String, String> params = new HashMap<>();
        params.put("provider", provider);
        params.put("baseUrl", baseUrl);
        params.put("maxConcurrentStreams", maxConcurrentStreams);
        return params;
    }

    private HttpRequest post(String key) {
        return HttpRequest.newBuilder(proxy.uri("/app/openai/v1/chat/completions"))
                .timeout(BOUND)
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}")).build();
    }

    private HttpResponse<InputStream> openStream(String key) throws Exception {
        return client.send(post(key), HttpResponse.BodyHandlers.ofInputStream());
    }

    private HttpResponse<String> send(String key) throws Exception {
        return client.send(post(key), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    @Test
    void aRequestOverTheLimitIsRefusedAtOnceWhileTheStreamsStayOpenAndServedOnceOneEnds() throws Exception {
        FakeUpstream.SseStream first = FakeUpstream.sse("data: first\n\n");
        FakeUpstream.SseStream second = FakeUpstream.sse("data: second\n\n");
        upstream.on("sk-stream-first", first).on("sk-stream-second", second)
                .on("sk-later", FakeUpstream.ok("{\"served\":true}"));
        proxy = ProxyServer.servlet(route("openai", upstream.baseUri().toString(), "2"));

        HttpResponse<InputStream> firstStream = openStream("sk-stream-first");
        HttpResponse<InputStream> secondStream = openStream("sk-stream-second");
        assertThat(proxy.route().inFlight()).isEqualTo(2);

        HttpResponse<String> refused = send("sk-refused");

        assertThat(first.finished()).as("the first stream is still open").isFalse();
        assertThat(second.finished()).as("the second stream is still open").isFalse();
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        JsonObject error = json(refused.body()).getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("server_error");
        assertThat(error.getString("code")).isEqualTo("overloaded");
        assertThat(error.getString("message")).contains("retry after 1 s");
        assertThat(upstream.keysSeen()).containsExactlyInAnyOrder("sk-stream-first", "sk-stream-second");

        first.releaseAll();
        try (InputStream body = firstStream.body()) {
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("data: first\n\n");
        }
        await().atMost(BOUND).until(() -> proxy.route().inFlight() == 1);
        HttpResponse<String> later = send("sk-later");

        assertThat(later.statusCode()).isEqualTo(200);
        assertThat(later.body()).isEqualTo("{\"served\":true}");
        assertThat(second.finished()).isFalse();
        second.releaseAll();
        secondStream.body().readAllBytes();
        await().atMost(BOUND).until(() -> proxy.route().inFlight() == 0);
    }

    @Test
    void theRefusalIsInAnthropicsShapeOnAnAnthropicRoute() throws Exception {
        FakeUpstream.Stall stall = FakeUpstream.stall();
        upstream.on("sk-ant-held", stall);
        proxy = ProxyServer.servlet(route("anthropic", upstream.baseUri().toString(), "1"));
        CompletableFuture<HttpResponse<String>> held = client.sendAsync(anthropicPost("sk-ant-held"),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(BOUND).until(() -> stall.held() == 1);

        HttpResponse<String> refused = client.send(anthropicPost("sk-ant-refused"), HttpResponse.BodyHandlers.ofString());

        assertThat(held).isNotDone();
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        JsonObject json = json(refused.body());
        assertThat(json.getString("type")).isEqualTo("error");
        assertThat(json.getJsonObject("error").getString("type")).isEqualTo("overloaded_error");
        stall.release();
        assertThat(held.get().statusCode()).isEqualTo(200);
        await().atMost(BOUND).until(() -> proxy.route().inFlight() == 0);
    }

    private HttpRequest anthropicPost(String key) {
        return HttpRequest.newBuilder(proxy.uri("/app/openai/v1/messages"))
                .timeout(BOUND)
                .header("X-Api-Key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
    }

    @Test
    void theFilterCountsEachRequestOnceAndRefusesTheSameWay() throws Exception {
        FakeUpstream.Stall stall = FakeUpstream.stall();
        upstream.on("sk-held", stall);
        Map<String, String> params = route("openai", upstream.baseUri().toString(), "1");
        params.put("pathPrefix", "/openai");
        proxy = ProxyServer.filter(params);
        CompletableFuture<HttpResponse<String>> held = client.sendAsync(post("sk-held"),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(BOUND).until(() -> stall.held() == 1);

        assertThat(proxy.route().inFlight()).isEqualTo(1);
        HttpResponse<String> refused = send("sk-refused");

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        stall.release();
        assertThat(held.get().statusCode()).isEqualTo(200);
        await().atMost(BOUND).until(() -> proxy.route().inFlight() == 0);
        assertThat(send("sk-held").statusCode()).isEqualTo(200);
    }

    @Test
    void aClientThatLeavesMidStreamGivesItsPlaceBack() throws Exception {
        // 20 MB in all: more than socket buffers absorb, so the proxy's writes fail once the client is gone.
        String[] events = new String[10_000];
        for (int i = 0; i < events.length; i++) {
            events[i] = "data: event " + i + " " + "x".repeat(2000) + "\n\n";
        }
        FakeUpstream.SseStream stream = FakeUpstream.sse(events);
        upstream.on("sk-leaving", stream).on("sk-next", FakeUpstream.ok("{}"));
        proxy = ProxyServer.servlet(route("openai", upstream.baseUri().toString(), "1"));

        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout((int) BOUND.toMillis());
            socket.getOutputStream().write(("GET /app/openai/v1/stream HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: Bearer sk-leaving\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertThat(new String(socket.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1))
                    .isEqualTo("HTTP/1.1 200");
            assertThat(proxy.route().inFlight()).isEqualTo(1);
            socket.setSoLinger(true, 0);
        }
        stream.releaseAll();

        await().atMost(BOUND).until(() -> proxy.route().inFlight() == 0);
        await().atMost(BOUND).until(() -> proxy.route().client().connectionStats().getLeased() == 0);
        assertThat(send("sk-next").statusCode()).isEqualTo(200);
    }

    @Test
    void anUpstreamThatCannotBeReachedGivesThePlaceBack() throws Exception {
        int closedPort;
        try (ServerSocket unused = new ServerSocket(0)) {
            closedPort = unused.getLocalPort();
        }
        proxy = ProxyServer.servlet(route("openai", "http://127.0.0.1:" + closedPort, "1"));

        assertThat(send("sk-any").statusCode()).isEqualTo(502);
        assertThat(send("sk-any").statusCode()).as("the place of the first is free again").isEqualTo(502);
        await().atMost(BOUND).until(() -> proxy.route().inFlight() == 0);
    }

    @Test
    void anUpstreamThatBreaksMidStreamGivesThePlaceBackThoughTheRouteThrows() throws Exception {
        try (ServerSocket broken = new ServerSocket(0)) {
            CompletableFuture<Void> serve = CompletableFuture.runAsync(() -> answerThenBreak(broken));
            proxy = ProxyServer.servlet(route("openai", "http://127.0.0.1:" + broken.getLocalPort(), "1"));

            String answer = RawHttp.exchangeKeepAlive(proxy.port(), "GET /app/openai/v1/stream HTTP/1.1\r\n"
                    + "Host: x\r\nAuthorization: Bearer sk-any\r\n\r\n");
            serve.get();

            assertThat(RawHttp.body(answer)).contains("data: first").doesNotEndWith("0\r\n\r\n");
        }
        await().atMost(BOUND).until(() -> proxy.route().inFlight() == 0);
        await().atMost(BOUND).until(() -> proxy.route().client().connectionStats().getLeased() == 0);
    }

    private static void answerThenBreak(ServerSocket server) {
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            int matched = 0;
            while (matched < end.length) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
            }
            String chunk = "data: first\n\n";
            socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.setSoLinger(true, 0); // close with a reset, mid-body
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
