package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.keyfailover.chain.UsageShapes;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.ProxyServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §16 over real sockets: the fake upstream answers with usage; a key that spent its
 * {@code keyBudget} gives way to the next, the pool answers 429 until midnight UTC when all did, and
 * a client whose {@code clientBudget} is spent is refused in its provider's shape before any upstream
 * attempt.
 */
class BudgetsOverHttpTest {

    private static final String FIRST = "sk-first-0000000000001";
    private static final String SECOND = "sk-second-000000000002";
    private static final String ALICE = "tok-alice-0123456789abcdef";
    private static final String BOB = "tok-bob-0123456789abcdef";
    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[]}";
    private static final String MESSAGE = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":64,\"messages\":[]}";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // An hour before midnight UTC.
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T23:00:00Z"));
    private FakeUpstream upstream = FakeUpstream.start();
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private void start(String provider, String... more) throws Exception {
        Map<String, String> params = new HashMap<>(Map.of("provider", provider, "name", "openai",
                "baseUrl", upstream.baseUri().toString(), "keys", FIRST + "," + SECOND, "authRecheck", "never"));
        for (int i = 0; i < more.length; i += 2) {
            params.put(more[i], more[i + 1]);
        }
        proxy = ProxyServer.servlet(params, clock, Map.of(RouteLifecycle.METER_REGISTRY_ATTRIBUTE, registry));
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri("/app/openai" + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject status() throws Exception {
        String json = client.send(HttpRequest.newBuilder(proxy.uri("/app/status.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Json.createReader(new StringReader(json)).readObject().getJsonArray("providers").getJsonObject(0);
    }

    private JsonObject key(int index) throws Exception {
        return status().getJsonArray("keys").getJsonObject(index);
    }

    private double requests(String outcome, String clientName) {
        Counter counter = registry.find("keyfailover.requests").tag("outcome", outcome).tag("client", clientName)
                .counter();
        return counter == null ? -1 : counter.count();
    }

    @Test
    void aSpentKeyGivesWayToTheNextAndAllSpentIsA429UntilMidnight() throws Exception {
        upstream.otherwise(FakeUpstream.ok(UsageShapes.OPENAI_JSON)); // 29 tokens an answer
        start("openai", "keyBudget", "50 tokens per day");

        assertThat(post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
        await().untilAsserted(() -> assertThat(key(0).getJsonObject("usage").getJsonObject("budget").getInt("spent"))
                .isEqualTo(29));
        assertThat(post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200); // in flight when crossed: served
        await().untilAsserted(() -> assertThat(key(0).getString("reason", "")).isEqualTo("budget"));
        assertThat(key(0).getString("state")).isEqualTo("COOLING");
        assertThat(key(0).getJsonObject("usage").getJsonObject("budget").toString()).isEqualTo(
                "{\"budget\":\"50 tokens per day\",\"amount\":50,\"spent\":58,\"isSpent\":true,"
                        + "\"resets\":\"2026-03-02T00:00:00Z\"}");

        assertThat(post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
        await().untilAsserted(() -> assertThat(key(1).getJsonObject("usage").getJsonObject("budget").getInt("spent"))
                .isEqualTo(29));
        assertThat(post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
        assertThat(upstream.keysSeen()).containsExactly(FIRST, FIRST, SECOND, SECOND);
        await().untilAsserted(() -> assertThat(key(1).getString("reason", "")).isEqualTo("budget"));

        HttpResponse<String> exhausted = post("/v1/chat/completions", CHAT);
        assertThat(exhausted.statusCode()).isEqualTo(429);
        assertThat(exhausted.headers().firstValue("Retry-After")).contains("3600");
        assertThat(exhausted.body()).contains("rate_limit");
        assertThat(upstream.keysSeen()).hasSize(4);
        assertThat(registry.find("keyfailover.key.transitions").tag("to", "budget").counters())
                .extracting(Counter::count).containsExactlyInAnyOrder(1.0, 1.0);

        clock.advance(Duration.ofHours(1)); // midnight UTC: both budgets are whole again
        assertThat(post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
        assertThat(upstream.keysSeen()).hasSize(5).last().isEqualTo(FIRST);
        assertThat(key(0).containsKey("reason")).isFalse();
    }

    @Test
    void aClientWhoseBudgetIsSpentGetsAnOpenAiShaped429UntilItsWindowResets() throws Exception {
        upstream.otherwise(FakeUpstream.ok(UsageShapes.OPENAI_JSON));
        start("openai", "clientTokens", "alice:" + ALICE + ",bob:" + BOB, "clientBudget", "2 requests per day");

        assertThat(post("/v1/chat/completions", CHAT, "Authorization", "Bearer " + ALICE).statusCode()).isEqualTo(200);
        assertThat(post("/v1/chat/completions", CHAT, "Authorization", "Bearer " + ALICE).statusCode()).isEqualTo(200);
        await().untilAsserted(() -> assertThat(status().getJsonObject("clients").getJsonObject("alice")
                .getJsonObject("budget").getBoolean("isSpent")).isTrue());

        HttpResponse<String> refused = post("/v1/chat/completions", CHAT, "Authorization", "Bearer " + ALICE);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).contains("3600");
        JsonObject error = Json.createReader(new StringReader(refused.body())).readObject().getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("rate_limit_error");
        assertThat(error.getString("message")).contains("alice").contains("budget").doesNotContain(ALICE);
        assertThat(upstream.requests()).hasSize(2);
        await().untilAsserted(() -> assertThat(requests("client_budget", "alice")).isEqualTo(1));

        assertThat(post("/v1/chat/completions", CHAT, "Authorization", "Bearer " + BOB).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofHours(1));
        assertThat(post("/v1/chat/completions", CHAT, "Authorization", "Bearer " + ALICE).statusCode()).isEqualTo(200);
        assertThat(upstream.requests()).hasSize(4);
    }

    @Test
    void aClientWhoseTokenBudgetIsSpentGetsAnAnthropicShaped429() throws Exception {
        upstream.close();
        upstream = FakeUpstream.start().keyHeader("x-api-key");
        upstream.otherwise(FakeUpstream.ok(UsageShapes.ANTHROPIC_JSON));
        start("anthropic", "clientTokens", "alice:" + ALICE, "clientBudget", "10 tokens per month");

        assertThat(post("/v1/messages", MESSAGE, "x-api-key", ALICE).statusCode()).isEqualTo(200);
        await().untilAsserted(() -> assertThat(status().getJsonObject("clients").getJsonObject("alice")
                .getJsonObject("budget").getBoolean("isSpent")).isTrue());

        HttpResponse<String> refused = post("/v1/messages", MESSAGE, "x-api-key", ALICE);
        assertThat(refused.statusCode()).isEqualTo(429);
        // 2026-03-01T23:00Z to 2026-04-01T00:00Z
        assertThat(refused.headers().firstValue("Retry-After")).contains(Long.toString(Duration.ofDays(30).plusHours(1)
                .toSeconds()));
        JsonObject body = Json.createReader(new StringReader(refused.body())).readObject();
        assertThat(body.getString("type")).isEqualTo("error");
        assertThat(body.getJsonObject("error").getString("type")).isEqualTo("rate_limit_error");
        assertThat(upstream.requests()).hasSize(1);
        assertThat(List.of(refused.body(), status().toString())).noneMatch(text -> text.contains(ALICE));
    }

    @Test
    void aClientWhoseBudgetIsSpentGetsAGoogleShaped429OnAGeminiRoute() throws Exception {
        upstream.close();
        upstream = FakeUpstream.start().keyHeader("x-goog-api-key");
        upstream.otherwise(FakeUpstream.ok(UsageShapes.GEMINI_JSON));
        start("gemini", "keys", "AIzaFirstPoolKey000000000000000000001", "clientTokens", "alice:" + ALICE,
                "clientBudget", "1 requests per day");
        String generate = "/v1beta/models/gemini-2.5-flash:generateContent";

        assertThat(post(generate, "{}", "x-goog-api-key", ALICE).statusCode()).isEqualTo(200);
        await().untilAsserted(() -> assertThat(status().getJsonObject("clients").getJsonObject("alice")
                .getJsonObject("budget").getBoolean("isSpent")).isTrue());

        HttpResponse<String> refused = post(generate + "?key=" + ALICE, "{}");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).contains("3600");
        JsonObject error = Json.createReader(new StringReader(refused.body())).readObject().getJsonObject("error");
        assertThat(error.getInt("code")).isEqualTo(429);
        assertThat(error.getString("status")).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(upstream.requests()).hasSize(1);
    }
}
