package dev.keyfailover.chain;

import static dev.keyfailover.chain.UsageShapes.joined;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** behaviour.md §16: usage read from each provider's JSON and stream shapes, as the bytes pass, in any chunks. */
class UsageReaderTest {

    private static final String JSON = "application/json; charset=utf-8";
    private static final String SSE = "text/event-stream";

    private static Usage readWhole(String type, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        UsageReader reader = UsageReader.forAnswer(type, type.startsWith(SSE) ? -1 : bytes.length);
        reader.read(bytes, 0, bytes.length);
        return reader.usage();
    }

    /** The same answer a byte at a time, and in chunks of 7: the result may not depend on where reads end. */
    private static Usage read(String type, String body) {
        Usage whole = readWhole(type, body);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        for (int chunk : new int[] {1, 7, 100}) {
            UsageReader reader = UsageReader.forAnswer(type, -1);
            for (int i = 0; i < bytes.length; i += chunk) {
                reader.read(bytes, i, Math.min(chunk, bytes.length - i));
            }
            assertThat(reader.usage()).as("in chunks of %d", chunk).isEqualTo(whole);
        }
        return whole;
    }

    @Test
    void openAiJsonWithATextThatLooksLikeUsage() {
        assertThat(read(JSON, UsageShapes.OPENAI_JSON)).isEqualTo(new Usage(19, 10, 4));
    }

    @Test
    void openAiStreamReadsItsUsageChunk() {
        String stream = joined(UsageShapes.OPENAI_EVENTS) + UsageShapes.OPENAI_USAGE_CHUNK + UsageShapes.OPENAI_DONE;
        assertThat(read(SSE, stream)).isEqualTo(new Usage(9, 2, 0));
    }

    @Test
    void openAiStreamWithoutUsageChunkHasNone() {
        assertThat(read(SSE, joined(UsageShapes.OPENAI_EVENTS) + UsageShapes.OPENAI_DONE)).isEqualTo(Usage.NONE);
    }

    @Test
    void anthropicJsonCountsCacheReadsAndWritesAsInput() {
        assertThat(read(JSON, UsageShapes.ANTHROPIC_JSON)).isEqualTo(new Usage(20, 6, 5));
    }

    @Test
    void anthropicStreamTakesInputFromMessageStartAndOutputFromMessageDelta() {
        assertThat(read(SSE, joined(UsageShapes.ANTHROPIC_EVENTS))).isEqualTo(new Usage(25, 15, 0));
    }

    @Test
    void geminiJsonCountsThoughtsAsOutput() {
        assertThat(read(JSON, UsageShapes.GEMINI_JSON)).isEqualTo(new Usage(8, 37, 0));
    }

    @Test
    void geminiStreamKeepsTheLastRunningTotals() {
        assertThat(read(SSE, joined(UsageShapes.GEMINI_EVENTS))).isEqualTo(new Usage(8, 20, 0));
    }

    @Test
    void geminiStreamAsAJsonArray() {
        String array = "[" + UsageShapes.GEMINI_JSON + "," + UsageShapes.GEMINI_JSON.replace("\"candidatesTokenCount\": 12",
                "\"candidatesTokenCount\": 40") + "]";
        assertThat(read(JSON, array)).isEqualTo(new Usage(8, 65, 0));
    }

    @Test
    void geminiJsonCountsItsCachedContentAsCachedInput() {
        String body = "{\"usageMetadata\":{\"promptTokenCount\":100,\"candidatesTokenCount\":5,"
                + "\"cachedContentTokenCount\":60,\"totalTokenCount\":105},\"modelVersion\":\"gemini-2.5-pro\"}";
        assertThat(read(JSON, body)).isEqualTo(new Usage(100, 5, 60));
    }

    @Test
    void openAiResponsesJsonCountsInputOutputAndCachedTokens() {
        String body = "{\"id\":\"resp_1\",\"usage\":{\"input_tokens\":36,\"input_tokens_details\":{\"cached_tokens\":8},"
                + "\"output_tokens\":87,\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":123},"
                + "\"user\":null,\"metadata\":{}}";
        assertThat(read(JSON, body)).isEqualTo(new Usage(36, 87, 8));
    }

    @Test
    void aJsonAnswerCountsItsLastUsageObjectWholeAndAStreamEveryEventsCounts() {
        String first = "{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}}";
        String last = "{\"usage\":{\"completion_tokens\":7}}";
        assertThat(read(JSON, "[" + first + "," + last + "]")).isEqualTo(new Usage(0, 7, 0));
        assertThat(read(SSE, "data: " + first + "\n\ndata: " + last + "\n\n")).isEqualTo(new Usage(5, 7, 0));
    }

    @Test
    void aLongAnswerKeepsOnlyItsEnd() {
        String text = "x".repeat(50_000);
        String body = UsageShapes.ANTHROPIC_JSON.replace("Hello!", text);
        assertThat(read(JSON, body)).isEqualTo(new Usage(20, 6, 5));
        String event = UsageShapes.GEMINI_EVENTS[1].replace(" world", text);
        assertThat(read(SSE, UsageShapes.GEMINI_EVENTS[0] + event)).isEqualTo(new Usage(8, 20, 0));
    }

    @Test
    void malformedOrAbsentUsageIsIgnored() {
        assertThat(read(JSON, "{\"usage\":{\"prompt_tokens\":\"many\",\"completion_tokens\":-3}}")).isEqualTo(Usage.NONE);
        assertThat(read(JSON, "{\"usage\":{\"prompt_tokens\":12")).isEqualTo(Usage.NONE);
        assertThat(read(JSON, "{\"usage\":null}")).isEqualTo(Usage.NONE);
        assertThat(read(JSON, "not json at all \"usage\": {")).isEqualTo(Usage.NONE);
        assertThat(read(JSON, "{\"usage\":{\"prompt_tokens\":99999999999999999999}}")).isEqualTo(Usage.NONE);
        assertThat(read(SSE, "data: {\"usage\":{\"input_tokens\":3,\n\n")).isEqualTo(Usage.NONE);
        assertThat(read(JSON, "")).isEqualTo(Usage.NONE);
    }

    @Test
    void answersThatCannotCarryUsageAreNotRead() {
        assertThat(UsageReader.forAnswer("audio/mpeg", 1000)).isNull();
        assertThat(UsageReader.forAnswer(null, -1)).isNull();
    }
}
