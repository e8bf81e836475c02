package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.ProxyServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §9 and §10 on the status page: per key and model, the cooldowns and the provider's
 * last rate-limit counts; the EXHAUSTED state; masked hints only. Times from a fake clock.
 */
class ModelStatusTest {

    private static final String K1 = "sk-status-first-key-000000001";
    private static final String K2 = "sk-status-second-key-00000002";
    private static final String K3 = "sk-status-third-key-000000003";
    private static final String QUOTA = "{\"error\":{\"message\":\"You exceeded your current quota\","
            + "\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start();
    private final MutableClock clock = MutableClock.atFixedStart();
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        Map<String, String> params = new HashMap<>();
        params.put("provider", "openai");
        params.put("baseUrl", upstream.baseUri().toString());
        params.put("keys", K1 + "," + K2 + "," + K3);
        proxy = ProxyServer.servlet(params, clock);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        upstream.close();
    }

    private int chat(String model) throws Exception {
        return client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(proxy.uri(path)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private JsonArray keys() throws Exception {
        return Json.createReader(new StringReader(get("/app/status.json"))).readObject()
                .getJsonArray("providers").getJsonObject(0).getJsonArray("keys");
    }

    /** K1: gpt-a used up its requests (reset 20 s), gpt-b rate-limited 30 s; K2: out of quota; K3 serves. */
    private void scenario() throws Exception {
        upstream.on(K1, "gpt-a", FakeUpstream.withHeaders(FakeUpstream.ok("{}"), "x-ratelimit-limit-requests", "100",
                        "x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "20s",
                        "x-ratelimit-limit-tokens", "40000", "x-ratelimit-remaining-tokens", "39000"))
                .on(K1, "gpt-b", FakeUpstream.rateLimited("30"))
                .on(K2, FakeUpstream.json(429, QUOTA))
                .on(K3, FakeUpstream.ok("{}"));
        assertThat(chat("gpt-a")).isEqualTo(200);
        assertThat(chat("gpt-b")).isEqualTo(200);
    }

    @Test
    void theJsonShowsPerKeyAModelsArrayWithCooldownsAndLimits() throws Exception {
        scenario();
        clock.advance(Duration.ofSeconds(5));

        JsonArray keys = keys();

        JsonObject first = keys.getJsonObject(0);
        assertThat(first.getString("state")).isEqualTo("VALID");
        JsonArray models = first.getJsonArray("models");
        assertThat(models).hasSize(2);
        JsonObject a = models.getJsonObject(0);
        assertThat(a.getString("model")).isEqualTo("gpt-a");
        assertThat(a.getJsonNumber("cooldownRemainingMs").longValue()).isEqualTo(15_000);
        JsonObject requests = a.getJsonObject("limits").getJsonObject("requests");
        assertThat(requests.getInt("remaining")).isZero();
        assertThat(requests.getInt("limit")).isEqualTo(100);
        assertThat(requests.getString("reset")).isEqualTo("2026-11-24T10:00:20Z");
        JsonObject tokens = a.getJsonObject("limits").getJsonObject("tokens");
        assertThat(tokens.getInt("remaining")).isEqualTo(39000);
        assertThat(tokens.getInt("limit")).isEqualTo(40000);
        assertThat(tokens.containsKey("reset")).isFalse();
        JsonObject b = models.getJsonObject(1);
        assertThat(b.getString("model")).isEqualTo("gpt-b");
        assertThat(b.getJsonNumber("cooldownRemainingMs").longValue()).isEqualTo(25_000);
        assertThat(b.getJsonObject("limits")).isEmpty();
    }

    @Test
    void theJsonShowsAnExhaustedKeyWithTheTimeUntilItsQuotaRecheck() throws Exception {
        scenario();

        JsonObject second = keys().getJsonObject(1);

        assertThat(second.getString("state")).isEqualTo("EXHAUSTED");
        assertThat(second.getJsonNumber("cooldownRemainingMs").longValue()).isEqualTo(Duration.ofHours(1).toMillis());
        assertThat(second.getInt("lastStatus")).isEqualTo(429);
        assertThat(second.getJsonArray("models")).isEmpty();
        assertThat(keys().getJsonObject(2).getString("state")).isEqualTo("VALID");
    }

    @Test
    void endedCooldownsLeaveOnlyTheLastKnownLimits() throws Exception {
        scenario();
        clock.advance(Duration.ofSeconds(30));

        JsonArray models = keys().getJsonObject(0).getJsonArray("models");

        assertThat(models).hasSize(1);
        assertThat(models.getJsonObject(0).getString("model")).isEqualTo("gpt-a");
        assertThat(models.getJsonObject(0).getJsonNumber("cooldownRemainingMs").longValue()).isZero();
        assertThat(models.getJsonObject(0).getJsonObject("limits").getJsonObject("requests").getInt("remaining"))
                .isZero();
    }

    @Test
    void theHtmlPageShowsPerModelCooldownsLimitsAndTheExhaustedState() throws Exception {
        scenario();
        clock.advance(Duration.ofSeconds(5));

        String html = get("/app/status");

        assertThat(html).contains("gpt-a: cooling 15 s; requests 0/100 (reset 2026-11-24T10:00:20Z);"
                + " tokens 39000/40000<br>gpt-b: cooling 25 s");
        assertThat(html).contains("<td class=\"EXHAUSTED\">EXHAUSTED</td><td>3595 s</td>");
        assertThat(html).contains("sk-s…0001", "sk-s…0002", "sk-s…0003");
    }

    @Test
    void noWholeKeyAppearsAnywhere() throws Exception {
        scenario();

        String everything = get("/app/status.json") + get("/app/status");

        assertThat(everything).doesNotContain(K1, K2, K3, "000000001", "00000002", "000000003");
    }

    @Test
    void aModelNameChosenByTheClientIsEscapedOnThePage() throws Exception {
        upstream.on(K1, FakeUpstream.rateLimited("30")).on(K2, FakeUpstream.ok("{}"));
        String hostile = "<img src=x onerror=alert(1)>";

        chat(hostile.replace("\"", "\\\""));
        String html = get("/app/status");

        assertThat(html).doesNotContain(hostile).contains("&lt;img src=x onerror=alert(1)&gt;: cooling 30 s");
        JsonObject model = keys().getJsonObject(0).getJsonArray("models").getJsonObject(0);
        assertThat(model.getString("model")).isEqualTo(hostile);
    }
}
