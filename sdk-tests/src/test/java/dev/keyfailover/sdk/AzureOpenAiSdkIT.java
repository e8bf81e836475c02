package dev.keyfailover.sdk;

import static dev.keyfailover.sdk.WireUpstream.chatCompletionFrom;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;

import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official OpenAI Java SDK in its Azure mode (an {@link AzureApiKeyCredential}, a service version, the legacy
 * {@code /openai/deployments/{deployment}/…?api-version=…} paths, which it takes only for Azure host names unless
 * told) with its base URL at the proxy's {@code azure-openai} route, behaviour §15. The SDK's key goes in
 * {@code api-key}; Azure keys have no shape the proxy knows (behaviour §13), so under the default {@code byok=auto}
 * any key would be the client's own: this route sets {@code byok=deny} so that the pool serves. The SDK's
 * retries are off.
 */
class AzureOpenAiSdkIT {

    private static final String GOOD = "azure-sdkit-good-0000000000000001";
    private static final String LIMITED = "azure-sdkit-limited-0000000000002";
    private static final String SDK_PLACEHOLDER_KEY = "placeholder-the-proxy-replaces-it";
    private static final String DEPLOYMENT = "chat-gpt-4o";
    private static final String OTHER_DEPLOYMENT = "chat-gpt-4o-mini";
    private static final String API_VERSION = "2024-10-21";

    @RegisterExtension
    final ProxyFixture fixture = new ProxyFixture();
    private final WireUpstream upstream = fixture.upstream();

    private OpenAIClient azureClient(String keys) throws Exception {
        Proxy proxy = fixture.startProxy("azure-openai", keys, Map.of("byok", "deny"));
        return OpenAIOkHttpClient.builder().baseUrl(proxy.url("/azure-openai"))
                .credential(AzureApiKeyCredential.create(SDK_PLACEHOLDER_KEY))
                .azureServiceVersion(AzureOpenAIServiceVersion.fromString(API_VERSION))
                .azureUrlPathMode(AzureUrlPathMode.LEGACY).maxRetries(0).build();
    }

    /** In Azure mode the SDK's {@code model} is the deployment's name. */
    private static ChatCompletionCreateParams question(String deployment) {
        return ChatCompletionCreateParams.builder().model(deployment).addUserMessage("hi").build();
    }

    /** Azure's 429 (a deployment's token rate limit), its wait in milliseconds in {@code retry-after-ms} only. */
    private static WireUpstream.Answer tokenRateLimitExceeded(long retryAfterMs) {
        return WireUpstream.json(429, "{\"error\":{\"code\":\"429\",\"message\":\"Requests to the"
                + " ChatCompletions_Create Operation under Azure OpenAI API version " + API_VERSION + " have exceeded"
                + " token rate limit of your current OpenAI S0 pricing tier. Please retry after " + retryAfterMs / 1000
                + " seconds.\"}}").withHeader("retry-after-ms", Long.toString(retryAfterMs));
    }

    private void assertOnlyPoolKeysInApiKeyReachedUpstream() {
        assertThat(upstream.requests()).isNotEmpty().allSatisfy(request -> {
            assertThat(request.header("api-key")).isIn(GOOD, LIMITED);
            assertThat(request.header("authorization")).isNull();
            assertThat(request.headers().values()).noneMatch(value -> value.contains(SDK_PLACEHOLDER_KEY));
            assertThat(request.query()).isEqualTo("api-version=" + API_VERSION);
        });
    }

    @Test
    void aChatCompletionIsServedByTheNextKeyAfterA429WithRetryAfterMsOnTheFirst() throws Exception {
        upstream.on(LIMITED, tokenRateLimitExceeded(30_000)).on(GOOD, chatCompletionFrom("gpt-4o", "hello from azure"));
        OpenAIClient client = azureClient(LIMITED + "," + GOOD);

        ChatCompletion completion = client.chat().completions().create(question(DEPLOYMENT));

        assertThat(completion.choices().get(0).message().content()).hasValue("hello from azure");
        assertThat(completion.model()).isEqualTo("gpt-4o");
        assertThat(upstream.keysSeen()).containsExactly(LIMITED, GOOD);
        assertThat(upstream.requests()).allSatisfy(request -> assertThat(request.path())
                .isEqualTo("/azure-openai/openai/deployments/" + DEPLOYMENT + "/chat/completions"));
        assertOnlyPoolKeysInApiKeyReachedUpstream();
    }

    @Test
    void theOnlyKeysRetryAfterMsIsTheRetryAfterTheSdkGetsWithItsRateLimitException() throws Exception {
        upstream.on(LIMITED, tokenRateLimitExceeded(7_000));
        OpenAIClient client = azureClient(LIMITED);

        RateLimitException error = catchThrowableOfType(RateLimitException.class,
                () -> client.chat().completions().create(question(DEPLOYMENT)));

        assertThat(error).as("the SDK's own rate-limit exception").isNotNull();
        assertThat(error.statusCode()).isEqualTo(429);
        assertThat(error.headers().values("Retry-After")).as("7000 ms, in seconds").containsExactly("7");
        assertThat(error.getMessage()).contains("all configured keys are rate-limited").doesNotContain(LIMITED);
        assertThat(upstream.keysSeen()).containsExactly(LIMITED);
        assertOnlyPoolKeysInApiKeyReachedUpstream();
    }

    @Test
    void aRateLimitedDeploymentCoolsAloneAndTheSameKeyServesAnotherDeployment() throws Exception {
        upstream.on(LIMITED, tokenRateLimitExceeded(30_000), chatCompletionFrom("gpt-4o-mini", "from the other one"));
        OpenAIClient client = azureClient(LIMITED);

        RateLimitException error = catchThrowableOfType(RateLimitException.class,
                () -> client.chat().completions().create(question(DEPLOYMENT)));
        ChatCompletion completion = client.chat().completions().create(question(OTHER_DEPLOYMENT));

        assertThat(error).as("the first deployment rate-limited").isNotNull();
        assertThat(completion.choices().get(0).message().content()).hasValue("from the other one");
        assertThat(upstream.requests()).extracting(WireUpstream.Recorded::path).containsExactly(
                "/azure-openai/openai/deployments/" + DEPLOYMENT + "/chat/completions",
                "/azure-openai/openai/deployments/" + OTHER_DEPLOYMENT + "/chat/completions");
        assertOnlyPoolKeysInApiKeyReachedUpstream();
    }
}
