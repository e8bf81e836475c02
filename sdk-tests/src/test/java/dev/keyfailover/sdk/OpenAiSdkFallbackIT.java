package dev.keyfailover.sdk;

import static dev.keyfailover.sdk.WireUpstream.chatCompletionFrom;
import static dev.keyfailover.sdk.WireUpstream.chatCompletionStreamFrom;
import static dev.keyfailover.sdk.WireUpstream.openAiError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * behaviour §18, fallback routes, seen by the official OpenAI Java SDK: the route {@code openai} names the route
 * {@code openai-fallback} (its own provider and key, {@code fallbackModel=gpt-4o-mini}) as its fallback, and its
 * own provider answers 503 for good. The SDK, with its default retries (2), sends one request and gets one
 * success in the fallback provider's words.
 */
class OpenAiSdkFallbackIT {

    private static final String PRIMARY_KEY = "sk-sdkit-primary-down-000000001";
    private static final String FALLBACK_KEY = "sk-sdkit-fallback-good-00000002";
    private static final String SDK_PLACEHOLDER_KEY = "placeholder-the-proxy-replaces-it";
    private static final String FALLBACK_ROUTE = "openai-fallback";
    private static final String FALLBACK_MODEL = "gpt-4o-mini";

    @RegisterExtension
    final ProxyFixture fixture = new ProxyFixture();
    private final WireUpstream primary = fixture.upstream();
    private final WireUpstream fallback = fixture.fallbackUpstream();

    /** Both routes with their default {@code byok=auto}, which strips the SDK's placeholder; default retries. */
    private OpenAIClient clientOfPrimaryDownForGood() throws Exception {
        primary.on(PRIMARY_KEY, openAiError(503, "server_error", "The server is overloaded"));
        Proxy proxy = fixture.startProxyWithFallback("openai", PRIMARY_KEY, Map.of(),
                FALLBACK_ROUTE, FALLBACK_KEY, Map.of("fallbackModel", FALLBACK_MODEL));
        return OpenAIOkHttpClient.builder().baseUrl(proxy.url("/openai/v1")).apiKey(SDK_PLACEHOLDER_KEY).build();
    }

    private static ChatCompletionCreateParams question() {
        return ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O).addUserMessage("hi").build();
    }

    @Test
    void aPrimaryDownForGoodIsServedByTheFallbackAndTheSdkSeesOneSuccessWithTheFallbacksModel() throws Exception {
        fallback.on(FALLBACK_KEY, chatCompletionFrom(FALLBACK_MODEL, "served by the fallback"));
        OpenAIClient client = clientOfPrimaryDownForGood();

        ChatCompletion completion;
        try (HttpResponseFor<ChatCompletion> response =
                client.chat().completions().withRawResponse().create(question())) {
            completion = response.parse();
            assertServedByTheFallback(response);
        }

        assertThat(completion.model()).isEqualTo(FALLBACK_MODEL);
        assertThat(completion.choices().get(0).message().content()).hasValue("served by the fallback");
        assertThat(fallback.requests().get(0).body()).doesNotContain("\"stream\":true");
        assertOneRequestFromTheSdk();
    }

    @Test
    void aStreamedCompletionFromAPrimaryDownForGoodArrivesWholeFromTheFallbackInOneRequestFromTheSdk()
            throws Exception {
        fallback.on(FALLBACK_KEY, chatCompletionStreamFrom(FALLBACK_MODEL, "Hello", ", ", "world"));
        OpenAIClient client = clientOfPrimaryDownForGood();

        StringBuilder text = new StringBuilder();
        List<String> models = new ArrayList<>();
        try (HttpResponseFor<StreamResponse<ChatCompletionChunk>> response =
                        client.chat().completions().withRawResponse().createStreaming(question());
                StreamResponse<ChatCompletionChunk> stream = response.parse()) {
            assertServedByTheFallback(response);
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                models.add(chunk.model());
                chunk.choices().get(0).delta().content().ifPresent(text::append);
            }
        }

        assertThat(text).hasToString("Hello, world");
        assertThat(models).as("every chunk, the last one too").containsExactly(FALLBACK_MODEL, FALLBACK_MODEL,
                FALLBACK_MODEL, FALLBACK_MODEL);
        assertThat(fallback.requests().get(0).body()).contains("\"stream\":true");
        assertOneRequestFromTheSdk();
    }

    /**
     * The answer names the fallback route and the renamed model; the primary provider saw the request with its
     * own key and the client's model, as often as the proxy counted attempts there (its own retries included);
     * the fallback provider saw it once, with its own key and the renamed model.
     */
    private void assertServedByTheFallback(HttpResponse response) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().values("X-Keyfailover-Route")).containsExactly(FALLBACK_ROUTE);
        assertThat(response.headers().values("X-Keyfailover-Model")).containsExactly(FALLBACK_MODEL);

        assertThat(primary.requests()).as("the primary provider saw the request and the proxy's two retries")
                .hasSize(3).allSatisfy(sent -> {
            assertThat(sent.path()).isEqualTo("/openai/v1/chat/completions");
            assertThat(sent.key()).isEqualTo(PRIMARY_KEY);
            assertThat(sent.body()).contains("\"model\":\"gpt-4o\"");
        });
        assertThat(fallback.requests()).as("the fallback provider served at the first try").hasSize(1);
        WireUpstream.Recorded served = fallback.requests().get(0);
        assertThat(served.path()).isEqualTo("/openai/v1/chat/completions");
        assertThat(served.key()).isEqualTo(FALLBACK_KEY);
        assertThat(served.body()).contains("\"model\":\"" + FALLBACK_MODEL + "\"")
                .doesNotContain("\"model\":\"gpt-4o\"");
        assertThat(response.headers().values("X-Keyfailover-Attempts"))
                .as("attempts on both routes: every request either provider saw")
                .containsExactly("4");
    }

    /** The SDK, free to retry twice, sent one request: its first try was the one served. */
    private void assertOneRequestFromTheSdk() {
        assertThat(fixture.proxy().requestsReceived()).isEqualTo(1);
        assertThat(fallback.requests().get(0).header("x-stainless-retry-count")).isEqualTo("0");
        assertThat(fallback.requests().get(0).header("authorization")).doesNotContain(SDK_PLACEHOLDER_KEY);
    }
}
