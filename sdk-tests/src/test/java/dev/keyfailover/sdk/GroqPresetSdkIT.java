package dev.keyfailover.sdk;

import static dev.keyfailover.sdk.WireUpstream.chatCompletionFrom;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official OpenAI Java SDK against the {@code groq} preset (behaviour §15: the generic provider with Bearer
 * keys and OpenAI's error shape; Groq's {@code x-ratelimit-*} resets feed §10), its {@code baseUrl} the fake
 * upstream. The SDK is given the route as it would be given Groq's own OpenAI-compatible address
 * ({@code …/openai/v1}, here {@code http://host/groq/v1}); its placeholder key has no Groq shape, so the
 * route's default settings ({@code byok=auto}) strip it and the pool serves; the SDK's retries are off.
 */
class GroqPresetSdkIT {

    private static final String GOOD = "gsk_sdkit_groq_good_000000000000001";
    private static final String GOOD_TOO = "gsk_sdkit_groq_good_000000000000002";
    private static final String LIMITED = "gsk_sdkit_groq_limited_0000000000003";
    private static final String SDK_PLACEHOLDER_KEY = "placeholder-the-proxy-replaces-it";
    private static final String MODEL = "llama-3.3-70b-versatile";

    @RegisterExtension
    final ProxyFixture fixture = new ProxyFixture();
    private final WireUpstream upstream = fixture.upstream();

    private OpenAIClient groqClient(String keys) throws Exception {
        Proxy proxy = fixture.startProxy("groq", keys, Map.of());
        return OpenAIOkHttpClient.builder().baseUrl(proxy.url("/groq/v1")).apiKey(SDK_PLACEHOLDER_KEY)
                .maxRetries(0).build();
    }

    private static ChatCompletionCreateParams question() {
        return ChatCompletionCreateParams.builder().model(MODEL).addUserMessage("hi").build();
    }

    /** Groq's 429 of a per-minute request limit, with its {@code retry-after} and {@code x-ratelimit-*} headers. */
    private static WireUpstream.Answer requestsPerMinuteReached() {
        return WireUpstream.json(429, "{\"error\":{\"message\":\"Rate limit reached for model `" + MODEL + "` in"
                        + " organization `org_01sdkit` service tier `on_demand` on requests per minute (RPM): Limit 30,"
                        + " Used 30, Requested 1. Please try again in 2s.\",\"type\":\"requests\","
                        + "\"code\":\"rate_limit_exceeded\"}}")
                .withHeader("retry-after", "2").withHeader("x-ratelimit-limit-requests", "30")
                .withHeader("x-ratelimit-remaining-requests", "0").withHeader("x-ratelimit-reset-requests", "1.9s");
    }

    private void assertOnlyPoolKeysAsBearerReachedUpstream() {
        assertThat(upstream.requests()).isNotEmpty().allSatisfy(request -> {
            assertThat(request.path()).isEqualTo("/groq/v1/chat/completions");
            assertThat(request.key()).isIn(GOOD, GOOD_TOO, LIMITED);
            assertThat(request.headers().values()).noneMatch(value -> value.contains(SDK_PLACEHOLDER_KEY));
            assertThat(request.body()).contains("\"model\":\"" + MODEL + "\"");
        });
    }

    @Test
    void aChatCompletionIsServedByTheNextGroqKeyAfterTheFirstHitItsRateLimit() throws Exception {
        upstream.on(LIMITED, requestsPerMinuteReached()).on(GOOD, chatCompletionFrom(MODEL, "hello from groq"));
        OpenAIClient client = groqClient(LIMITED + "," + GOOD);

        ChatCompletion completion;
        try (HttpResponseFor<ChatCompletion> response = client.chat().completions().withRawResponse().create(question())) {
            completion = response.parse();
            assertThat(response.headers().values("X-Keyfailover-Attempts")).containsExactly("2");
        }

        assertThat(completion.model()).isEqualTo(MODEL);
        assertThat(completion.choices().get(0).message().content()).hasValue("hello from groq");
        assertThat(upstream.keysSeen()).containsExactly(LIMITED, GOOD);
        assertOnlyPoolKeysAsBearerReachedUpstream();
    }

    @Test
    void aKeyWhoseGroqRequestLimitIsUsedUpIsPassedOverUntilItsResetWithoutSpendingA429() throws Exception {
        upstream.on(GOOD, chatCompletionFrom(MODEL, "the last request of the minute")
                        .withHeader("x-ratelimit-limit-requests", "14400").withHeader("x-ratelimit-remaining-requests", "0")
                        .withHeader("x-ratelimit-reset-requests", "1m26.4s"))
                .on(GOOD_TOO, chatCompletionFrom(MODEL, "served by the second key"));
        OpenAIClient client = groqClient(GOOD + "," + GOOD_TOO);

        ChatCompletion first = client.chat().completions().create(question());
        ChatCompletion second = client.chat().completions().create(question());

        assertThat(first.choices().get(0).message().content()).hasValue("the last request of the minute");
        assertThat(second.choices().get(0).message().content()).hasValue("served by the second key");
        assertThat(upstream.keysSeen()).containsExactly(GOOD, GOOD_TOO);
        assertOnlyPoolKeysAsBearerReachedUpstream();
    }
}
