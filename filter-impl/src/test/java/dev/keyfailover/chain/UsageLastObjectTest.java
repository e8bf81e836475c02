package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * behaviour.md §16: a JSON answer's usage is read searching back from its end, and what that reads is
 * what the forward search read: the same counts for every answer with one usage object, wherever the
 * window starts or the answer breaks off; with several, the last one that closes, taken whole.
 */
class UsageLastObjectTest {

    private static final String[] TEXTS = {"", "Hello!", "a".repeat(800), "Write \\\"usage\\\": {\\\"prompt_tokens\\\": 999}",
        "\\\"usageMetadata\\\":{\\\"promptTokenCount\\\":7}", "usage: {\\\"usage\\\"", "C:\\\\", "x\\\\\\\"usage"};
    private static final String[] NAMES = {"prompt_tokens", "completion_tokens", "total_tokens", "input_tokens",
        "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens", "promptTokenCount",
        "candidatesTokenCount", "thoughtsTokenCount", "cachedContentTokenCount", "tokenCount"};

    @Test
    void readingBackTakesWhatReadingForwardTookFromAnswersWithOneUsageObject() {
        Random random = new Random(22);
        for (int round = 0; round < 3_000; round++) {
            byte[] b = answer(random, 1).getBytes(StandardCharsets.UTF_8);
            int to = random.nextInt(4) == 0 ? random.nextInt(b.length + 1) : b.length;
            int from = random.nextInt(3) == 0 ? random.nextInt(to + 1) : 0;
            assertThat(backward(b, from, to)).as("%s in [%d, %d)", new String(b, StandardCharsets.UTF_8), from, to)
                    .isEqualTo(forward(b, from, to));
        }
    }

    @Test
    void withSeveralUsageObjectsReadingBackTakesTheLastThatClosesWhole() {
        Random random = new Random(16);
        for (int round = 0; round < 3_000; round++) {
            byte[] b = answer(random, 2 + random.nextInt(2)).getBytes(StandardCharsets.UTF_8);
            int to = random.nextInt(3) == 0 ? random.nextInt(b.length + 1) : b.length;
            int from = random.nextInt(3) == 0 ? random.nextInt(to + 1) : 0;
            assertThat(backward(b, from, to)).as("%s in [%d, %d)", new String(b, StandardCharsets.UTF_8), from, to)
                    .isEqualTo(lastClosingReadForward(b, from, to));
        }
    }

    @Test
    void anEarlierUsageObjectsCountsAreNotMergedIntoTheLast() {
        byte[] b = "[{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}},{\"usage\":{\"completion_tokens\":7}}]"
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(backward(b, 0, b.length)).isEqualTo(new Usage(0, 7, 0));
        assertThat(forward(b, 0, b.length)).isEqualTo(new Usage(5, 7, 0));
    }

    @Test
    void anAnswerThatBrokeOffInItsLastUsageObjectKeepsTheOneBefore() {
        byte[] b = "[{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}},{\"usage\":{\"completion_tokens\":7"
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(backward(b, 0, b.length)).isEqualTo(new Usage(5, 1, 0));
    }

    private static Usage backward(byte[] b, int from, int to) {
        UsageFields fields = new UsageFields();
        fields.scanLast(b, from, to);
        return fields.usage();
    }

    private static Usage forward(byte[] b, int from, int to) {
        UsageFields fields = new UsageFields();
        fields.scan(b, from, to);
        return fields.usage();
    }

    /** The forward reading of the usage object that opens last among those closing within the bytes, alone. */
    private static Usage lastClosingReadForward(byte[] b, int from, int to) {
        int key = -1;
        int end = -1;
        for (int open = UsageKeys.next(b, from, to); open >= 0; open = UsageKeys.next(b, open + 1, to)) {
            int close = JsonBytes.skipValue(b, open, to);
            if (close >= 0) {
                key = new String(b, 0, open, StandardCharsets.ISO_8859_1).lastIndexOf("\"usage");
                end = close;
            }
        }
        return key < 0 ? Usage.NONE : forward(b, key, end);
    }

    /** A JSON answer (or a streamed array of them) with this many usage objects, in any of the shapes and spacings. */
    private static String answer(Random random, int usages) {
        String space = random.nextBoolean() ? "" : random.nextBoolean() ? " " : "\n  ";
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < usages; i++) {
            StringBuilder part = new StringBuilder("{\"id\":\"msg_").append(i).append("\",").append(space)
                    .append("\"content\":[{\"text\":\"").append(TEXTS[random.nextInt(TEXTS.length)]).append("\"}],")
                    .append(space);
            if (random.nextInt(4) == 0) {
                part.append("\"usage\":").append(space).append("null,");
            }
            part.append('"').append(random.nextBoolean() ? "usage" : "usageMetadata").append('"').append(space)
                    .append(':').append(space).append(usageObject(random, space)).append(',').append(space)
                    .append("\"note\":\"").append(TEXTS[random.nextInt(TEXTS.length)]).append("\"}");
            parts.add(part.toString());
        }
        return parts.size() == 1 ? parts.get(0) : "[" + String.join("," + space, parts) + "]";
    }

    private static String usageObject(Random random, String space) {
        StringBuilder object = new StringBuilder("{");
        int fields = 1 + random.nextInt(5);
        for (int i = 0; i < fields; i++) {
            if (i > 0) {
                object.append(',').append(space);
            }
            object.append('"').append(NAMES[random.nextInt(NAMES.length)]).append("\":").append(space);
            switch (random.nextInt(6)) {
                case 0 -> object.append("{\"cached_tokens\":").append(random.nextInt(50)).append('}');
                case 1 -> object.append("[{\"modality\":\"TEXT\",\"tokenCount\":3}]");
                case 2 -> object.append("\"many\"");
                default -> object.append(random.nextInt(500));
            }
        }
        return object.append('}').toString();
    }
}
