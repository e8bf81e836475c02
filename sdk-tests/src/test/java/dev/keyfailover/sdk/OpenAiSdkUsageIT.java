package dev.keyfailover.sdk;

import static dev.keyfailover.sdk.WireUpstream.event;
import static dev.keyfailover.sdk.WireUpstream.sse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * behaviour.md §16, {@code streamUsage=inject}, read by the official OpenAI Java SDK's stream parser:
 * the proxy asks upstream for the usage chunk; a client that did not ask never sees it (every chunk
 * it parses has a choice), a client that asked gets it.
 */
class OpenAiSdkUsageIT {

    private static final String GOOD = "sk-sdkit-openai-usage-000000001";

    @RegisterExtension
    final ProxyFixture fixture = new ProxyFixture();
    private final WireUpstream upstream = fixture.upstream();

    private static final String CHUNK = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1732000000,\"model\":\"gpt-4o-mini\",";

    /** As OpenAI streams when asked for the usage: {@code "usage":null} on each chunk, then the usage chunk. */
    private static WireUpstream.Answer streamWithUsage(String... words) {
        List<String> events = new ArrayList<>();
        for (String word : words) {
            events.add(event(null, CHUNK + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + word + "\"},"
                    + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}"));
        }
        events.add(event(null, CHUNK + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,"
                + "\"finish_reason\":\"stop\"}],\"usage\":null}"));
        events.add(event(null, CHUNK + "\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,"
                + "\"total_tokens\":12}}"));
        events.add(event(null, "[DONE]"));
        return sse(events.toArray(String[]::new));
    }

    private OpenAIClient client() throws Exception {
        Proxy proxy = fixture.startProxy("openai", GOOD, Map.of("streamUsage", "inject"));
        return OpenAIOkHttpClient.builder().baseUrl(proxy.url("/openai/v1")).apiKey("placeholder-the-proxy-replaces-it")
                .maxRetries(0).build();
    }

    private static List<ChatCompletionChunk> read(OpenAIClient client, ChatCompletionCreateParams params) {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunks::add);
        }
        return chunks;
    }

    @Test
    void aClientThatDidNotAskNeverSeesTheUsageChunk() throws Exception {
        upstream.on(GOOD, streamWithUsage("Hello", ", ", "world"));
        OpenAIClient client = client();

        List<ChatCompletionChunk> chunks = read(client, ChatCompletionCreateParams.builder()
                .model(ChatModel.GPT_4O_MINI).addUserMessage("hi").build());

        assertThat(upstream.requests().get(0).body()).contains("\"stream_options\":{\"include_usage\":true}");
        assertThat(chunks).hasSize(4).allSatisfy(chunk -> assertThat(chunk.choices()).isNotEmpty());
        StringBuilder text = new StringBuilder();
        chunks.forEach(chunk -> chunk.choices().get(0).delta().content().ifPresent(text::append));
        assertThat(text).hasToString("Hello, world");
    }

    @Test
    void aClientThatAskedGetsItsUsage() throws Exception {
        upstream.on(GOOD, streamWithUsage("Hi"));
        OpenAIClient client = client();

        List<ChatCompletionChunk> chunks = read(client, ChatCompletionCreateParams.builder()
                .model(ChatModel.GPT_4O_MINI).addUserMessage("hi")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());

        assertThat(chunks).hasSize(3);
        assertThat(chunks.get(2).choices()).isEmpty();
        assertThat(chunks.get(2).usage()).hasValueSatisfying(usage -> {
            assertThat(usage.promptTokens()).isEqualTo(9);
            assertThat(usage.completionTokens()).isEqualTo(3);
        });
    }
}
