package dev.keyfailover.servlet;

import static dev.keyfailover.chain.UsageShapes.joined;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import dev.keyfailover.chain.UsageShapes;
import org.junit.jupiter.api.Test;

/** behaviour.md §16, streamUsage=inject: the usage chunk the client did not ask for is dropped, nothing else. */
class UsageChunkFilterTest {

    private static String filtered(String stream, int chunk) throws Exception {
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        UsageChunkFilter filter = new UsageChunkFilter();
        for (int i = 0; i < bytes.length; i += chunk) {
            int n = Math.min(chunk, bytes.length - i);
            byte[] read = new byte[n];
            System.arraycopy(bytes, i, read, 0, n);
            filter.pass(read, n, out::write);
        }
        filter.end(out::write);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void dropsTheUsageChunkWhereverReadsEnd() throws Exception {
        String before = joined(UsageShapes.OPENAI_EVENTS);
        String stream = before + UsageShapes.OPENAI_USAGE_CHUNK + UsageShapes.OPENAI_DONE;
        for (int chunk : new int[] {1, 3, 64, 100_000}) {
            assertThat(filtered(stream, chunk)).as("in chunks of %d", chunk).isEqualTo(before + UsageShapes.OPENAI_DONE);
        }
    }

    @Test
    void passesEverythingElseAsItIs() throws Exception {
        String longEvent = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1},\"pad\":\"" + "x".repeat(10_000)
                + "\"}\n\n";
        String stream = joined(UsageShapes.OPENAI_EVENTS) + ": keep-alive\r\n\r\n" + longEvent
                + "data: {\"choices\":[],\"usage\":null}\n\n" + "data: unfinished";
        for (int chunk : new int[] {1, 5, 4096, 100_000}) {
            assertThat(filtered(stream, chunk)).as("in chunks of %d", chunk).isEqualTo(stream);
        }
    }
}
