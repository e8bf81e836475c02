package dev.keyfailover.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The example's {@code gemini} route (behaviour.md §15) through the packaged WAR, with no configuration: the
 * demo upstream's Gemini API behind it, with its demo keys in their order (per-minute quota, per-day quota,
 * invalid, good). One deployment: each test sees the key states the one before left, as the README's curl
 * session does.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeminiRouteWarIT {

    private static final String MODEL = "gemini-2.5-flash";
    private static final String BODY = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";

    private static DeployedWar war;
    private static int port;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void deployTheWar() throws Exception {
        war = DeployedWar.start(Map.of());
        port = war.port();
    }

    @AfterAll
    static void stop() throws Exception {
        war.close();
    }

    private HttpResponse<String> generate(String model, String methodAndQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/gemini/v1beta/models/"
                        + model + ":" + methodAndQuery)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    @Order(1)
    void theFirstRequestIsServedPastAPerMinuteQuotaAPerDayQuotaAndAnInvalidKey() throws Exception {
        HttpResponse<String> answer = generate(MODEL, "generateContent");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("X-Keyfailover-Attempts")).hasValue("4");
        assertThat(answer.headers().firstValue("X-Keyfailover-Key")).hasValue("AIza...0004");
        JsonObject body = json(answer.body());
        assertThat(body.getJsonArray("candidates").getJsonObject(0).getJsonObject("content").getJsonArray("parts")
                .getJsonObject(0).getString("text")).isEqualTo("served by the demo upstream with key AIza…0004");
        assertThat(body.getJsonObject("usageMetadata").getInt("totalTokenCount")).isEqualTo(14);

        Instant before = Instant.now();
        JsonArray keys = geminiKeys();
        Instant after = Instant.now();
        Instant midnight = nextMidnightPacific(before);
        // Per minute: the (key, model) cools for RetryInfo's 30 s; the key stays VALID for other models.
        assertThat(keys.getJsonObject(0).getString("state")).isEqualTo("VALID");
        assertThat(cooldownMs(keys.getJsonObject(0), MODEL)).isBetween(20_000L, 30_000L);
        // Per day: the (key, model) cools until midnight Pacific, not capped by maxCooldown (1 h).
        assertThat(keys.getJsonObject(1).getString("state")).isEqualTo("VALID");
        assertThat(cooldownMs(keys.getJsonObject(1), MODEL))
                .isBetween(Duration.between(after, midnight).toMillis() - 1_000, Duration.between(before, midnight).toMillis());
        // 400 API_KEY_INVALID: the key is disabled.
        assertThat(keys.getJsonObject(2).getString("state")).isEqualTo("DISABLED");
        assertThat(keys.getJsonObject(2).getInt("lastStatus")).isEqualTo(400);
        assertThat(keys.getJsonObject(3).getInt("successes")).isEqualTo(1);
        assertThat(keys.toString()).doesNotContain("AIza-demo-");
    }

    @Test
    @Order(2)
    void aStreamOfTheSameModelGoesStraightToTheGoodKeyEventByEvent() throws Exception {
        HttpResponse<String> answer = generate(MODEL, "streamGenerateContent?alt=sse");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("X-Keyfailover-Attempts")).hasValue("1");
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/event-stream"));
        StringBuilder text = new StringBuilder();
        int events = 0;
        for (String line : answer.body().split("\r?\n")) {
            if (line.startsWith("data: ")) {
                events++;
                text.append(json(line.substring(6)).getJsonArray("candidates").getJsonObject(0)
                        .getJsonObject("content").getJsonArray("parts").getJsonObject(0).getString("text"));
            }
        }
        assertThat(events).as("one event per word").isEqualTo(8);
        assertThat(text.toString()).isEqualTo("served by the demo upstream with key AIza…0004 ");
    }

    @Test
    @Order(3)
    void anotherModelMeetsBothQuotasAgainButNotTheDisabledKey() throws Exception {
        HttpResponse<String> answer = generate("gemini-2.0-flash", "generateContent");

        assertThat(answer.statusCode()).isEqualTo(200);
        // The quotas cooled (key, model) pairs; the invalid key is out for every model.
        assertThat(answer.headers().firstValue("X-Keyfailover-Attempts")).hasValue("3");
        assertThat(answer.headers().firstValue("X-Keyfailover-Key")).hasValue("AIza...0004");
    }

    @Test
    @Order(4)
    void aClientsOwnQueryKeyIsSentOnceAsTheClientSentIt() throws Exception {
        HttpResponse<String> answer = generate(MODEL, "generateContent?key=AIza-my-own-key-123456789");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("served by the demo upstream with key AIza…6789");
        assertThat(answer.headers().firstValue("X-Keyfailover-Key")).isEmpty();
    }

    private JsonArray geminiKeys() throws Exception {
        String status = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status.json"))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
        for (JsonValue provider : json(status).getJsonArray("providers")) {
            if (provider.asJsonObject().getString("name").equals("gemini")) {
                return provider.asJsonObject().getJsonArray("keys");
            }
        }
        throw new AssertionError("no gemini route on the status page: " + status);
    }

    private static long cooldownMs(JsonObject key, String model) {
        for (JsonValue entry : key.getJsonArray("models")) {
            if (entry.asJsonObject().getString("model").equals(model)) {
                return entry.asJsonObject().getJsonNumber("cooldownRemainingMs").longValue();
            }
        }
        throw new AssertionError("no state for model " + model + " on key " + key);
    }

    private static Instant nextMidnightPacific(Instant now) {
        ZoneId pacific = ZoneId.of("America/Los_Angeles");
        return now.atZone(pacific).toLocalDate().plusDays(1).atStartOfDay(pacific).toInstant();
    }

    private static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
