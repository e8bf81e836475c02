package dev.keyfailover.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
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
 * behaviour.md §15, {@code gemini-openai} over real sockets: Bearer keys, the body's model, and
 * Google's error object read from inside the JSON array this endpoint answers errors with.
 */
class GeminiOpenAiProviderTest {

    private static final String K1 = "AIzaSyOPENAI-compat-first-key-0000001";
    private static final String K2 = "AIzaSyOPENAI-compat-second-key-000002";
    private static final String FLASH = "gemini-2.5-flash";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start();
    private final MutableClock clock = MutableClock.atFixedStart();
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        proxy = ProxyServer.servlet(Map.of("provider", "gemini-openai", "baseUrl", upstream.baseUri().toString(),
                "keys", K1 + "," + K2), clock);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        upstream.close();
    }

    private HttpResponse<String> chat(String model) throws Exception {
        return client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonArray keys() throws Exception {
        String json = client.send(HttpRequest.newBuilder(proxy.uri("/app/status.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Json.createReader(new StringReader(json)).readObject()
                .getJsonArray("providers").getJsonObject(0).getJsonArray("keys");
    }

    @Test
    void aPerDayQuotaInsideTheArrayCoolsTheKeyForThatModelUntilMidnightPacific() throws Exception {
        upstream.on(K1, FakeUpstream.json(429, GeminiBodies.inArray(GeminiBodies.perDay(FLASH))))
                .on(K2, FakeUpstream.ok("{}"));

        assertThat(chat(FLASH).statusCode()).isEqualTo(200);

        assertThat(upstream.requests()).extracting(r -> r.header("Authorization"))
                .containsExactly("Bearer " + K1, "Bearer " + K2);
        JsonObject model = keys().getJsonObject(0).getJsonArray("models").getJsonObject(0);
        assertThat(model.getString("model")).isEqualTo(FLASH);
        assertThat(model.getJsonNumber("cooldownRemainingMs").longValue())
                .isEqualTo(Duration.between(clock.instant(), Instant.parse("2026-11-25T08:00:00Z")).toMillis());
    }

    @Test
    void aZeroLimitInsideTheArrayExhaustsTheKeyForThatModelAndADryPoolAnswersInOpenAisShape() throws Exception {
        upstream.on(K1, FakeUpstream.json(429, GeminiBodies.inArray(GeminiBodies.zeroLimit(FLASH))))
                .on(K2, FakeUpstream.json(429, GeminiBodies.inArray(GeminiBodies.zeroLimit(FLASH))));

        HttpResponse<String> answer = chat(FLASH);

        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.body()).contains("\"code\":\"insufficient_quota\"");
        assertThat(keys()).extracting(key -> ((JsonObject) key).getString("state")).containsExactly("VALID", "VALID");
        upstream.on(K1, FakeUpstream.ok("{}"));
        upstream.clearRequests();
        chat("gemini-2.5-pro");
        assertThat(upstream.keysSeen()).containsExactly(K1);
    }

    @Test
    void aPerMinuteQuotaInsideTheArrayCoolsTheKeyForThatModelForItsRetryDelay() throws Exception {
        upstream.on(K1, FakeUpstream.json(429, GeminiBodies.inArray(GeminiBodies.perMinute(FLASH, "38s"))))
                .on(K2, FakeUpstream.json(429, GeminiBodies.inArray(GeminiBodies.perMinute(FLASH, "12s"))));

        HttpResponse<String> answer = chat(FLASH);

        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("12");
        assertThat(answer.body()).contains("\"code\":\"rate_limit_exceeded\"");
        assertThat(keys()).extracting(key -> ((JsonObject) key).getJsonArray("models").getJsonObject(0)
                .getJsonNumber("cooldownRemainingMs").longValue()).containsExactly(38_000L, 12_000L);
        upstream.on(K1, FakeUpstream.ok("{}"));
        upstream.clearRequests();
        chat("gemini-2.5-pro");
        assertThat(upstream.keysSeen()).containsExactly(K1);
    }

    @Test
    void anInvalidKeyInsideTheArrayDisablesIt() throws Exception {
        upstream.on(K1, FakeUpstream.json(400, GeminiBodies.inArray(GeminiBodies.API_KEY_INVALID)))
                .on(K2, FakeUpstream.ok("{}"));

        assertThat(chat(FLASH).statusCode()).isEqualTo(200);

        assertThat(keys().getJsonObject(0).getString("state")).isEqualTo("DISABLED");
    }
}
