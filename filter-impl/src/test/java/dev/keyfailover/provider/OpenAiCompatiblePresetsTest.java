package dev.keyfailover.provider;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * behaviour.md §15 over real sockets: the OpenAI-compatible presets and {@code azure-openai} put the
 * pool key where their API takes it, and read their APIs' real-shaped signals (DeepSeek's and
 * OpenRouter's 402, Groq's rate-limit headers, Azure's millisecond waits per deployment).
 */
class OpenAiCompatiblePresetsTest {

    private static final String K1 = "gsk_preset-first-key-00000000001";
    private static final String K2 = "gsk_preset-second-key-0000000002";
    /** DeepSeek's answer to a request on an empty balance. */
    private static final String DEEPSEEK_402 = "{\"error\":{\"message\":\"Insufficient Balance\",\"type\":\"unknown_error\","
            + "\"param\":null,\"code\":\"invalid_request_error\"}}";
    /** OpenRouter's answer when the account's credits do not cover the request. */
    private static final String OPENROUTER_402 = "{\"error\":{\"code\":402,\"message\":\"This request requires more"
            + " credits, or fewer max_tokens. You requested up to 4096 tokens, but can only afford 1043. To increase,"
            + " visit https://openrouter.ai/settings/credits and upgrade to a paid account\",\"metadata\":{}},"
            + "\"user_id\":\"user_2abc\"}";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start();
    private final MutableClock clock = MutableClock.atFixedStart();
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private void start(String provider, String... more) throws Exception {
        Map<String, String> params = new HashMap<>();
        params.put("provider", provider);
        params.put("baseUrl", upstream.baseUri().toString());
        params.put("keys", K1 + "," + K2);
        for (int i = 0; i < more.length; i += 2) {
            params.put(more[i], more[i + 1]);
        }
        proxy = ProxyServer.servlet(params, clock);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(proxy.uri("/app/openai" + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> chat(String model) throws Exception {
        return post("/v1/chat/completions", "{\"model\":\"" + model + "\",\"messages\":[]}");
    }

    private JsonArray keys() throws Exception {
        String json = client.send(HttpRequest.newBuilder(proxy.uri("/app/status.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Json.createReader(new StringReader(json)).readObject()
                .getJsonArray("providers").getJsonObject(0).getJsonArray("keys");
    }

    @ParameterizedTest
    @ValueSource(strings = {"groq", "mistral", "deepseek", "openrouter", "xai"})
    void eachPresetSendsThePoolKeyAsBearerAndAnswersExhaustionInOpenAisShape(String provider) throws Exception {
        start(provider);
        upstream.on(K1, FakeUpstream.status(401)).on(K2, FakeUpstream.rateLimited("30"));

        HttpResponse<String> answer = chat("m");

        assertThat(upstream.requests()).extracting(r -> r.header("Authorization"))
                .containsExactly("Bearer " + K1, "Bearer " + K2);
        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("30");
        JsonObject error = Json.createReader(new StringReader(answer.body())).readObject().getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("rate_limit_error");
        assertThat(error.getString("code")).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void deepSeeksInsufficientBalance402MakesTheKeyExhaustedAndTheNextKeyServes() throws Exception {
        start("deepseek");
        upstream.on(K1, FakeUpstream.json(402, DEEPSEEK_402)).on(K2, FakeUpstream.ok("{\"id\":\"ok\"}"));

        assertThat(chat("deepseek-chat").statusCode()).isEqualTo(200);
        assertThat(chat("deepseek-reasoner").statusCode()).isEqualTo(200);

        assertThat(upstream.keysSeen()).containsExactly(K1, K2, K2);
        assertThat(keys().getJsonObject(0).getString("state")).isEqualTo("EXHAUSTED");
    }

    @Test
    void openRoutersCredits402MakesTheKeyExhaustedAndADryPoolAnswersInsufficientQuota() throws Exception {
        start("openrouter");
        upstream.on(K1, FakeUpstream.json(402, OPENROUTER_402)).on(K2, FakeUpstream.json(402, OPENROUTER_402));

        HttpResponse<String> answer = chat("openai/gpt-4o");

        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
        assertThat(keys()).extracting(key -> ((JsonObject) key).getString("state"))
                .containsExactly("EXHAUSTED", "EXHAUSTED");
        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.headers().firstValue("x-should-retry")).hasValue("false");
        assertThat(answer.body()).contains("\"code\":\"insufficient_quota\"");
    }

    @Test
    void groqsUsedUpTokenLimitCoolsTheKeyForThatModelUntilItsReset() throws Exception {
        start("groq");
        // Groq's headers as it sends them: OpenAI's names, resets as Go durations with fractions.
        upstream.on(K1, "llama-3.3-70b-versatile", FakeUpstream.withHeaders(FakeUpstream.ok("{}"),
                        "x-ratelimit-limit-requests", "1000", "x-ratelimit-limit-tokens", "12000",
                        "x-ratelimit-remaining-requests", "999", "x-ratelimit-remaining-tokens", "0",
                        "x-ratelimit-reset-requests", "1m26.4s", "x-ratelimit-reset-tokens", "7.66s"))
                .on(K1, FakeUpstream.ok("{}"))
                .on(K2, FakeUpstream.ok("{}"));

        chat("llama-3.3-70b-versatile");
        chat("llama-3.3-70b-versatile");
        chat("llama-3.1-8b-instant");
        clock.advance(Duration.ofMillis(7_660));
        chat("llama-3.3-70b-versatile");

        assertThat(upstream.keysAndModelsSeen()).containsExactly(
                K1 + " llama-3.3-70b-versatile",
                K2 + " llama-3.3-70b-versatile",
                K1 + " llama-3.1-8b-instant",
                K1 + " llama-3.3-70b-versatile");
    }

    @Test
    void groqsMinutesAndFractionalSecondsResetCoolTheKeyUntilThenAndADryPoolSaysWhen() throws Exception {
        start("groq");
        FakeUpstream.Reply usedUp = FakeUpstream.withHeaders(FakeUpstream.ok("{}"),
                "x-ratelimit-limit-requests", "1000", "x-ratelimit-remaining-requests", "0",
                "x-ratelimit-reset-requests", "2m59.56s", "x-ratelimit-remaining-tokens", "5000",
                "x-ratelimit-reset-tokens", "7.66s");
        upstream.on(K1, usedUp).on(K2, usedUp);

        chat("llama-3.3-70b-versatile");
        chat("llama-3.3-70b-versatile");
        HttpResponse<String> dry = chat("llama-3.3-70b-versatile");

        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
        assertThat(keys()).extracting(key -> ((JsonObject) key).getJsonArray("models").getJsonObject(0)
                .getJsonNumber("cooldownRemainingMs").longValue()).containsExactly(179_560L, 179_560L);
        assertThat(dry.statusCode()).isEqualTo(429);
        assertThat(dry.headers().firstValue("Retry-After")).hasValue("180");
        assertThat(dry.headers().firstValue("X-Keyfailover-Attempts")).hasValue("0");
    }

    @Test
    void azureClientsOwnApiKeyIsSentOnceAsItCame() throws Exception {
        start("azure-openai");
        upstream.keyHeader("api-key").on(K1, FakeUpstream.ok("{}")).on("client-own-azure-key-0001",
                FakeUpstream.status(429).withHeader("retry-after-ms", "900"));

        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(proxy.uri(
                        "/app/openai/openai/deployments/dep-a/chat/completions?api-version=2024-10-21"))
                .header("Content-Type", "application/json").header("api-key", "client-own-azure-key-0001")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.headers().firstValue("retry-after-ms")).hasValue("900");
        assertThat(upstream.keysSeen()).containsExactly("client-own-azure-key-0001");
        assertThat(keys()).extracting(key -> ((JsonObject) key).getJsonArray("models").size()).containsExactly(0, 0);
    }

    @Test
    void azuresDryPoolAnswersWithTheSoonestWait() throws Exception {
        start("azure-openai");
        upstream.keyHeader("api-key").on(K1, FakeUpstream.status(429).withHeader("retry-after-ms", "4500")
                        .withHeader("Retry-After", "5"))
                .on(K2, FakeUpstream.status(429).withHeader("x-ms-retry-after-ms", "2500"));

        HttpResponse<String> answer = post("/openai/deployments/dep-a/chat/completions?api-version=2024-10-21",
                "{\"messages\":[]}");

        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("3");
        assertThat(answer.body()).contains("\"code\":\"rate_limit_exceeded\"");
    }

    @Test
    void azurePutsThePoolKeyInApiKeyAndStripsTheClientsEntraToken() throws Exception {
        start("azure-openai", "byok", "deny");
        upstream.keyHeader("api-key").on(K1, FakeUpstream.ok("{}"));

        client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/openai/deployments/dep-a/chat/completions"
                        + "?api-version=2024-10-21"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer eyJ-client-token")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.discarding());

        FakeUpstream.RecordedRequest seen = upstream.requests().get(0);
        assertThat(seen.header("api-key")).isEqualTo(K1);
        assertThat(seen.header("Authorization")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"retry-after-ms", "x-ms-retry-after-ms"})
    void azuresMillisecondWaitCoolsTheKeyForThatDeploymentNotTheBodysModel(String header) throws Exception {
        start("azure-openai");
        upstream.keyHeader("api-key")
                .on(K1, FakeUpstream.dynamic(request -> request.path().contains("/deployments/dep-a/")
                        ? FakeUpstream.status(429).withHeader(header, "1500") : FakeUpstream.ok("{}")))
                .on(K2, FakeUpstream.ok("{}"));
        String body = "{\"model\":\"gpt-4o\",\"messages\":[]}";

        post("/openai/deployments/dep-a/chat/completions?api-version=2024-10-21", body);
        post("/openai/deployments/dep-b/chat/completions?api-version=2024-10-21", body);

        assertThat(upstream.keysSeen()).containsExactly(K1, K2, K1);
        JsonArray models = keys().getJsonObject(0).getJsonArray("models");
        assertThat(models).hasSize(1);
        assertThat(models.getJsonObject(0).getString("model")).isEqualTo("dep-a");
        assertThat(models.getJsonObject(0).getJsonNumber("cooldownRemainingMs").longValue()).isEqualTo(1500);
        clock.advance(Duration.ofMillis(1500));
        upstream.clearRequests();
        upstream.on(K1, FakeUpstream.ok("{}"));
        post("/openai/deployments/dep-a/chat/completions?api-version=2024-10-21", body);
        assertThat(upstream.keysSeen()).containsExactly(K1);
    }
}
