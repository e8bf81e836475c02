package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import dev.keyfailover.chain.UsageShapes;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.RawHttp;
import dev.keyfailover.testing.RawUpstream;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §16, "What counts": an answer that did not come whole (upstream broke off, the client
 * went away) is counted once, after the copy ended, as one that came whole is before its last bytes.
 */
class BrokenAnswersCountOnceTest {

    private static final String KEY = "sk-only-00000000000001";
    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[]}";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
    }

    private void start(String baseUrl) throws Exception {
        proxy = ProxyServer.servlet(Map.of("provider", "openai", "name", "openai", "baseUrl", baseUrl, "keys", KEY,
                "authRecheck", "never", "keyBudget", "5 requests per day"), clock,
                Map.of(RouteLifecycle.METER_REGISTRY_ATTRIBUTE, registry));
    }

    private String request() {
        return "POST /app/openai/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + CHAT.length() + "\r\n\r\n" + CHAT;
    }

    /** Every request the route counted as ended, whatever its outcome. */
    private double requestsEnded() {
        return registry.find("keyfailover.requests").counters().stream().mapToDouble(Counter::count).sum();
    }

    private JsonObject usage() throws Exception {
        String json = client.send(HttpRequest.newBuilder(proxy.uri("/app/status.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Json.createReader(new StringReader(json)).readObject().getJsonArray("providers").getJsonObject(0)
                .getJsonArray("keys").getJsonObject(0).getJsonObject("usage");
    }

    @Test
    void anAnswerUpstreamBrokeOffCountsOnce() throws Exception {
        try (RawUpstream upstream = RawUpstream.start(RawUpstream.headAndBodyThenClose("HTTP/1.1 200 OK\r\n"
                + "Content-Type: application/json\r\nContent-Length: 5000", UsageShapes.OPENAI_JSON))) {
            start(upstream.baseUri().toString());

            String answer = RawHttp.exchange(proxy.port(), request());

            assertThat(RawHttp.body(answer).length()).isLessThan(5000);
            await().until(() -> requestsEnded() == 1);
            assertThat(usage().getInt("requestsToday")).isEqualTo(1);
            assertThat(usage().getJsonObject("budget").getInt("spent")).isEqualTo(1);
        }
    }

    @Test
    void aStreamWhoseClientWentAwayCountsOnce() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            FakeUpstream.SseStream stream = FakeUpstream.sse(UsageShapes.OPENAI_EVENTS);
            upstream.otherwise(stream);
            start(upstream.baseUri().toString());

            try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
                socket.getOutputStream().write(request().getBytes(StandardCharsets.ISO_8859_1));
                stream.release(1);
                InputStream in = socket.getInputStream();
                assertThat(new String(in.readNBytes(15), StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200 OK");
            }
            stream.releaseAll();

            await().until(() -> requestsEnded() == 1);
            assertThat(usage().getInt("requestsToday")).isEqualTo(1);
            assertThat(usage().getJsonObject("budget").getInt("spent")).isEqualTo(1);
        }
    }
}
