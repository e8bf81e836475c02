package dev.keyfailover.sdk;

import static dev.keyfailover.sdk.WireUpstream.chatCompletion;
import static dev.keyfailover.sdk.WireUpstream.chatCompletionStream;
import static dev.keyfailover.sdk.WireUpstream.openAiError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official OpenAI Java SDK with its base URL at the proxy ({@code http://host/openai/v1}).
 * The SDK always sends a key of its own: here a placeholder without the shape of an OpenAI key, which the
 * route's default settings ({@code byok=auto}, behaviour §13) strip, so that the pool serves.
 */
class OpenAiSdkIT {

    private static final String GOOD = "sk-sdkit-openai-good-000000001";
    private static final String LIMITED = "sk-sdkit-openai-limited-00000002";
    private static final String LIMITED_TOO = "sk-sdkit-openai-limited-00000003";
    private static final String REVOKED = "sk-sdkit-openai-revoked-00000004";
    private static final String NO_QUOTA = "sk-sdkit-openai-noquota-00000005";
    private static final String SDK_PLACEHOLDER_KEY = "placeholder-the-proxy-replaces-it";

    @RegisterExtension
    final ProxyFixture fixture = new ProxyFixture();
    private final WireUpstream upstream = fixture.upstream();

    private OpenAIClient poolClient(String keys, int maxRetries) throws Exception {
        Proxy proxy = fixture.startProxy("openai", keys, Map.of());
        OpenAIOkHttpClient.Builder builder = OpenAIOkHttpClient.builder().baseUrl(proxy.url("/openai/v1"))
                .apiKey(SDK_PLACEHOLDER_KEY);
        if (maxRetries >= 0) {
            builder.maxRetries(maxRetries);
        }
        return builder.build();
    }

    private static ChatCompletionCreateParams question() {
        return ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O_MINI).addUserMessage("hi").build();
    }

    @Test
    void aChatCompletionComesBackParsedAfterTheProxyFailedOverToTheGoodKey() throws Exception {
        upstream.on(LIMITED, openAiError(429, "rate_limit_error", "slow down").withHeader("Retry-After", "30"))
                .on(GOOD, chatCompletion("hello from upstream"));
        OpenAIClient client = poolClient(LIMITED + "," + GOOD, 0);

        ChatCompletion completion = client.chat().completions().create(question());

        assertThat(completion.choices().get(0).message().content()).hasValue("hello from upstream");
        assertThat(upstream.keysSeen()).containsExactly(LIMITED, GOOD);
        assertThat(upstream.requests()).allSatisfy(request ->
                assertThat(request.header("authorization")).doesNotContain(SDK_PLACEHOLDER_KEY));
    }

    @Test
    void aStreamedChatCompletionIsReadChunkByChunkToTheEnd() throws Exception {
        upstream.on(GOOD, chatCompletionStream("Hello", ", ", "world"));
        OpenAIClient client = poolClient(GOOD, 0);

        StringBuilder text = new StringBuilder();
        int chunks = 0;
        String finishReason = null;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(question())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                chunks++;
                chunk.choices().get(0).delta().content().ifPresent(text::append);
                if (chunk.choices().get(0).finishReason().isPresent()) {
                    finishReason = chunk.choices().get(0).finishReason().get().asString();
                }
            }
        }

        assertThat(text).hasToString("Hello, world");
        assertThat(chunks).isEqualTo(4);
        assertThat(finishReason).isEqualTo("stop");
    }

    @Test
    void whenEveryKeyIsRateLimitedTheSdkRaisesItsRateLimitExceptionWithOurRetryAfter() throws Exception {
        upstream.on(LIMITED, openAiError(429, "rate_limit_error", "slow down").withHeader("Retry-After", "17"))
                .on(LIMITED_TOO, openAiError(429, "rate_limit_error", "slow down").withHeader("Retry-After", "23"));
        OpenAIClient client = poolClient(LIMITED + "," + LIMITED_TOO, 0);

        RateLimitException error = catchThrowableOfType(RateLimitException.class,
                () -> client.chat().completions().create(question()));

        assertThat(error).as("the SDK's own rate-limit exception").isNotNull();
        assertThat(error.statusCode()).isEqualTo(429);
        assertThat(error.headers().values("Retry-After")).containsExactly("17");
        assertThat(error.getMessage()).contains("all configured keys are rate-limited");
        assertThat(error.body().toString()).contains("rate_limit_error", "rate_limit_exceeded");
        assertThat(upstream.keysSeen()).containsExactly(LIMITED, LIMITED_TOO);
    }

    @Test
    void whenEveryKeyFailsAuthenticationTheSdkRaisesItsServerErrorFor502() throws Exception {
        OpenAIClient client = poolClient(REVOKED, 0);

        InternalServerException error = catchThrowableOfType(InternalServerException.class,
                () -> client.chat().completions().create(question()));

        assertThat(error).as("the SDK's own server error").isNotNull();
        assertThat(error.statusCode()).isEqualTo(502);
        assertThat(error.getMessage()).contains("all configured keys failed authentication");
        assertThat(error.body().toString()).contains("api_error", "server_error");
        assertThat(error.getMessage()).doesNotContain(REVOKED);
    }

    @Test
    void whenTheKeysAreOutOfQuotaTheSdkSeesItsOwnInsufficientQuotaErrorAndDoesNotRetry() throws Exception {
        upstream.on(NO_QUOTA, WireUpstream.json(429, "{\"error\":{\"message\":\"You exceeded your current quota\","
                + "\"type\":\"insufficient_quota\",\"param\":null,\"code\":\"insufficient_quota\"}}"));
        OpenAIClient client = poolClient(NO_QUOTA + "," + REVOKED, -1);

        RateLimitException error = catchThrowableOfType(RateLimitException.class,
                () -> client.chat().completions().create(question()));

        assertThat(error).as("the SDK's own 429 exception").isNotNull();
        assertThat(error.statusCode()).isEqualTo(429);
        assertThat(error.headers().values("Retry-After")).isEmpty();
        assertThat(error.body().toString()).contains("insufficient_quota");
        assertThat(error.getMessage()).doesNotContain(NO_QUOTA).doesNotContain(REVOKED);
        assertThat(upstream.keysSeen()).containsExactly(NO_QUOTA, REVOKED);
        // With its default retries on, the SDK sent the request once (it does retry a rate-limited 429).
        assertThat(fixture.proxy().requestsReceived()).isEqualTo(1);
    }

    @Test
    void withDefaultSettingsTheSdkWaitsOurRetryAfterBeforeItsOneRetryInsteadOfHammering() throws Exception {
        upstream.on(GOOD, openAiError(429, "rate_limit_error", "slow down").withHeader("Retry-After", "2"),
                chatCompletion("served after the cooldown"));
        OpenAIClient client = poolClient(GOOD, -1);

        ChatCompletion completion = client.chat().completions().create(question());

        assertThat(completion.choices().get(0).message().content()).hasValue("served after the cooldown");
        List<WireUpstream.Recorded> attempts = upstream.requests();
        assertThat(attempts).as("one 429, then one retry").hasSize(2);
        Duration gap = Duration.ofNanos(attempts.get(1).arrivedNanos() - attempts.get(0).arrivedNanos());
        assertThat(gap).as("the SDK waited for our Retry-After: 2").isBetween(Duration.ofMillis(1700), Duration.ofSeconds(10));
        assertThat(attempts.get(1).header("x-stainless-retry-count")).isEqualTo("1");
    }

    @Test
    void aUsersOwnKeyPassesThroughOnceAndUntouched() throws Exception {
        String own = "sk-users-own-openai-key-0000001";
        upstream.on(own, chatCompletion("served with the user's key"));
        Proxy proxy = fixture.startProxy("openai", GOOD, Map.of());
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(proxy.url("/openai/v1")).apiKey(own).build();

        ChatCompletion completion = client.chat().completions().create(question());

        assertThat(completion.choices().get(0).message().content()).hasValue("served with the user's key");
        assertThat(upstream.keysSeen()).containsExactly(own);
    }
}
