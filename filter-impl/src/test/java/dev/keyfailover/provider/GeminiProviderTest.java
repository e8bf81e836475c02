package dev.keyfailover.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.ProxyServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §15, Gemini's native API through the proxy over real sockets, with Google's
 * real-shaped answers and a fake clock: where the key travels, the client's {@code ?key=}, the model
 * from the path, streams, and what each quota signal does to the key.
 */
class GeminiProviderTest {

    private static final String K1 = "AIzaSyGEMINI-first-pool-key-000000001";
    private static final String K2 = "AIzaSyGEMINI-second-pool-key-00000002";
    private static final String CLIENTS = "AIzaSyCLIENTS-own-key-aaaaaaaaaaaaa";
    private static final String FLASH = "gemini-2.5-flash";
    private static final String PRO = "gemini-2.5-pro";
    private static final String BODY = "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start().keyHeader("x-goog-api-key");
    /** 2026-11-24T10:00:00Z: 02:00 in Los Angeles (PST), 22 hours before the next Pacific midnight. */
    private final MutableClock clock = MutableClock.atFixedStart();
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
        params.put("provider", "gemini");
        params.put("baseUrl", upstream.baseUri().toString());
        params.put("keys", K1 + "," + K2);
        for (int i = 0; i < more.length; i += 2) {
            params.put(more[i], more[i + 1]);
        }
        proxy = ProxyServer.servlet(params, clock);
    }

    private HttpResponse<String> generate(String model, String query) throws Exception {
        return client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1beta/models/" + model + ":generateContent"
                        + (query == null ? "" : "?" + query)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonArray keys() throws Exception {
        String json = client.send(HttpRequest.newBuilder(proxy.uri("/app/status.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Json.createReader(new StringReader(json)).readObject()
                .getJsonArray("providers").getJsonObject(0).getJsonArray("keys");
    }

    private JsonObject modelOf(int key, String model) throws Exception {
        for (var value : keys().getJsonObject(key).getJsonArray("models")) {
            if (((JsonObject) value).getString("model").equals(model)) {
                return (JsonObject) value;
            }
        }
        throw new AssertionError("key " + key + " has no state for " + model);
    }

    @Test
    void aPoolRequestCarriesTheKeyOnlyInXGoogApiKey() throws Exception {
        start();
        upstream.on(K1, FakeUpstream.ok("{\"candidates\":[]}"));

        assertThat(generate(FLASH, null).statusCode()).isEqualTo(200);

        FakeUpstream.RecordedRequest seen = upstream.requests().get(0);
        assertThat(seen.header("x-goog-api-key")).isEqualTo(K1);
        assertThat(seen.path()).isEqualTo("/v1beta/models/" + FLASH + ":generateContent");
        assertThat(seen.query()).isNull();
        assertThat(seen.header("Authorization")).isNull();
    }

    @Test
    void aClientsKeyInTheQueryMakesTheRequestByokAndTravelsInTheHeaderNotTheUrl() throws Exception {
        start();
        upstream.otherwise(FakeUpstream.ok("{\"byok\":true}"));

        HttpResponse<String> answer = generate(FLASH, "key=" + CLIENTS + "&alt=json");

        assertThat(answer.body()).isEqualTo("{\"byok\":true}");
        FakeUpstream.RecordedRequest seen = upstream.requests().get(0);
        assertThat(seen.query()).as("no URL carries a key, not even the client's own").isEqualTo("alt=json");
        assertThat(seen.header("x-goog-api-key")).isEqualTo(CLIENTS);
        assertThat(answer.headers().firstValue("X-Keyfailover-Attempts")).isEmpty();
    }

    @Test
    void onARouteWithoutKeysAndByokDeniedTheClientsQueryKeyIsTakenOffToo() throws Exception {
        start("keys", "", "byok", "deny");
        upstream.otherwise(FakeUpstream.ok("{\"no-key\":true}"));

        generate(FLASH, "key=" + CLIENTS + "&alt=json");

        FakeUpstream.RecordedRequest seen = upstream.requests().get(0);
        assertThat(seen.query()).isEqualTo("alt=json");
        assertThat(seen.header("x-goog-api-key")).isNull();
    }

    @Test
    void withByokDeniedTheClientsKeyIsTakenOffTheUrlBeforeThePoolKeyGoesOn() throws Exception {
        start("byok", "deny");
        upstream.on(K1, FakeUpstream.rateLimited("30")).on(K2, FakeUpstream.ok("{}"));

        generate(FLASH, "alt=json&key=" + CLIENTS + "&key=again");

        assertThat(upstream.requests()).hasSize(2).allSatisfy(seen -> {
            assertThat(seen.query()).isEqualTo("alt=json");
            assertThat(seen.toString()).doesNotContain(CLIENTS);
        });
        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
    }

    @Test
    void theModelIsReadFromThePathAndAStreamArrivesEventByEvent() throws Exception {
        start();
        FakeUpstream.SseStream stream = FakeUpstream.sse("data: {\"candidates\":[{\"index\":0}]}\r\n\r\n",
                "data: {\"candidates\":[{\"index\":1}]}\r\n\r\n");
        upstream.on(K1, PRO, FakeUpstream.json(429, GeminiBodies.perMinute(PRO, "20s"))).on(K2, stream);

        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(
                        proxy.uri("/app/openai/v1beta/models/" + PRO + ":streamGenerateContent?alt=sse"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            stream.release(1);
            assertThat(reader.readLine()).isEqualTo("data: {\"candidates\":[{\"index\":0}]}");
            assertThat(reader.readLine()).isEmpty();
            assertThat(stream.sent()).as("the first event came through on its own").isLessThanOrEqualTo(1);
            stream.release(1);
            assertThat(reader.readLine()).isEqualTo("data: {\"candidates\":[{\"index\":1}]}");
        }
        assertThat(upstream.requests().get(1).query()).isEqualTo("alt=sse");
        assertThat(modelOf(0, PRO).getJsonNumber("cooldownRemainingMs").longValue()).isEqualTo(20_000);
    }

    @Test
    void aPerMinuteQuotaCoolsTheKeyForThatModelForTheRetryDelay() throws Exception {
        start();
        upstream.on(K1, FLASH, FakeUpstream.json(429, GeminiBodies.perMinute(FLASH, "38s")))
                .on(K1, FakeUpstream.ok("{}")).on(K2, FakeUpstream.ok("{}"));

        assertThat(generate(FLASH, null).statusCode()).isEqualTo(200);
        assertThat(generate(PRO, null).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(37));
        generate(FLASH, null);
        clock.advance(Duration.ofSeconds(1));
        upstream.on(K1, FLASH, FakeUpstream.ok("{}"));
        generate(FLASH, null);

        assertThat(upstream.keysAndModelsSeen()).containsExactly(K1 + " " + FLASH, K2 + " " + FLASH,
                K1 + " " + PRO, K2 + " " + FLASH, K1 + " " + FLASH);
    }

    @Test
    void aPerDayQuotaCoolsTheKeyForThatModelUntilMidnightPacific() throws Exception {
        start();
        upstream.on(K1, FLASH, FakeUpstream.json(429, GeminiBodies.perDay(FLASH)))
                .on(K1, FakeUpstream.ok("{}")).on(K2, FakeUpstream.ok("{}"));

        generate(FLASH, null);

        Instant midnightPacific = Instant.parse("2026-11-25T08:00:00Z");
        assertThat(modelOf(0, FLASH).getJsonNumber("cooldownRemainingMs").longValue())
                .as("22 h, past maxCooldown (1 h), not RetryInfo's 38 s")
                .isEqualTo(Duration.between(clock.instant(), midnightPacific).toMillis());
        assertThat(keys().getJsonObject(0).getString("state")).isEqualTo("VALID");
        clock.advance(Duration.ofHours(22).minusMillis(1));
        upstream.clearRequests();
        generate(FLASH, null);
        generate(PRO, null);
        assertThat(upstream.keysSeen()).containsExactly(K2, K1);
        clock.advance(Duration.ofMillis(1));
        upstream.clearRequests();
        upstream.on(K1, FLASH, FakeUpstream.ok("{}"));
        generate(FLASH, null);
        assertThat(upstream.keysSeen()).containsExactly(K1);
    }

    @Test
    void aPerDayQuotaInSummerEndsAtMidnightPacificDaylightTime() throws Exception {
        MutableClock summer = new MutableClock(Instant.parse("2026-07-01T20:00:00Z"));
        proxy = ProxyServer.servlet(Map.of("provider", "gemini", "baseUrl", upstream.baseUri().toString(),
                "keys", K1 + "," + K2), summer);
        upstream.on(K1, FakeUpstream.json(429, GeminiBodies.perDay(FLASH))).on(K2, FakeUpstream.ok("{}"));

        generate(FLASH, null);

        assertThat(modelOf(0, FLASH).getJsonNumber("cooldownRemainingMs").longValue())
                .isEqualTo(Duration.between(summer.instant(), Instant.parse("2026-07-02T07:00:00Z")).toMillis());
    }

    @Test
    void aZeroLimitMakesTheKeyExhaustedForThatModelOnly() throws Exception {
        start();
        upstream.on(K1, PRO, FakeUpstream.json(429, GeminiBodies.zeroLimit(PRO)))
                .on(K1, FakeUpstream.ok("{}")).on(K2, FakeUpstream.ok("{}"));

        assertThat(generate(PRO, null).statusCode()).isEqualTo(200);
        generate(PRO, null);
        generate(FLASH, null);

        assertThat(upstream.keysAndModelsSeen()).containsExactly(K1 + " " + PRO, K2 + " " + PRO, K2 + " " + PRO,
                K1 + " " + FLASH);
        assertThat(keys().getJsonObject(0).getString("state")).isEqualTo("VALID");
    }

    @Test
    void aModelNoKeyHasQuotaForIsAnsweredInGooglesShapeWithoutRetryAfter() throws Exception {
        start();
        upstream.on(K1, FakeUpstream.json(429, GeminiBodies.zeroLimit(PRO)))
                .on(K2, FakeUpstream.json(429, GeminiBodies.zeroLimit(PRO)));

        HttpResponse<String> answer = generate(PRO, null);

        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.headers().firstValue("Retry-After")).isEmpty();
        JsonObject error = Json.createReader(new StringReader(answer.body())).readObject().getJsonObject("error");
        assertThat(error.getInt("code")).isEqualTo(429);
        assertThat(error.getString("status")).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(error.getString("message")).contains("run out of credit or quota");
    }

    @Test
    void keysThatAreOnlyRateLimitedAreAnsweredInGooglesShapeWithRetryAfter() throws Exception {
        start();
        upstream.on(K1, FakeUpstream.json(429, GeminiBodies.perMinute(FLASH, "38s")))
                .on(K2, FakeUpstream.json(429, GeminiBodies.perMinute(FLASH, "45s")));

        HttpResponse<String> answer = generate(FLASH, null);

        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("38");
        JsonObject error = Json.createReader(new StringReader(answer.body())).readObject().getJsonObject("error");
        assertThat(error.keySet()).containsExactlyInAnyOrder("code", "message", "status");
        assertThat(error.getInt("code")).isEqualTo(429);
        assertThat(error.getString("status")).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(answer.body()).doesNotContain(K1, K2);
    }

    @Test
    void anInvalidKeysBadRequestDisablesItAndAPlainBadRequestGoesToTheClient() throws Exception {
        start();
        upstream.on(K1, FakeUpstream.json(400, GeminiBodies.API_KEY_INVALID)).on(K2, FakeUpstream.ok("{}"));

        assertThat(generate(FLASH, null).statusCode()).isEqualTo(200);
        assertThat(keys().getJsonObject(0).getString("state")).isEqualTo("DISABLED");

        upstream.on(K2, FakeUpstream.json(400, GeminiBodies.BAD_REQUEST));
        HttpResponse<String> plain = generate(FLASH, null);
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(plain.body()).isEqualTo(GeminiBodies.BAD_REQUEST);
        assertThat(keys().getJsonObject(1).getString("state")).isEqualTo("VALID");
    }

    @Test
    void aPoolWhoseKeysAreAllInvalidIsA502InGooglesShapeThatSdksDoNotRetry() throws Exception {
        start();
        upstream.on(K1, FakeUpstream.json(400, GeminiBodies.API_KEY_INVALID))
                .on(K2, FakeUpstream.json(400, GeminiBodies.API_KEY_INVALID));

        HttpResponse<String> answer = generate(FLASH, null);

        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(answer.headers().firstValue("x-should-retry")).hasValue("false");
        JsonObject error = Json.createReader(new StringReader(answer.body())).readObject().getJsonObject("error");
        assertThat(error.getString("status")).isEqualTo("UNAVAILABLE");
        assertThat(answer.body()).doesNotContain(K1, K2);
    }
}
