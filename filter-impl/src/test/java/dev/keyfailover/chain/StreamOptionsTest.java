package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

/** behaviour.md §16, streamUsage=inject: which bodies ask for a stream and its usage, and the body that asks. */
class StreamOptionsTest {

    private static StreamOptions.Asks asks(String body) {
        return StreamOptions.of(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void tellsWhatABodyAsksFor() {
        assertThat(asks("{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[]}")).isEqualTo(StreamOptions.Asks.NO_USAGE);
        assertThat(asks(" {\n \"stream\" : true }")).isEqualTo(StreamOptions.Asks.NO_USAGE);
        assertThat(asks("{\"stream\":true,\"stream_options\":{\"include_usage\":true}}"))
                .isEqualTo(StreamOptions.Asks.USAGE);
        assertThat(asks("{\"stream_options\": {\"include_usage\": false}, \"stream\": true}"))
                .isEqualTo(StreamOptions.Asks.OTHER_OPTIONS);
        assertThat(asks("{\"stream\":true,\"stream_options\":{\"include_obfuscation\":false}}"))
                .isEqualTo(StreamOptions.Asks.OTHER_OPTIONS);
        assertThat(asks("{\"stream\":false,\"messages\":[]}")).isEqualTo(StreamOptions.Asks.NO_STREAM);
        assertThat(asks("{\"messages\":[{\"content\":\"\\\"stream\\\":true\"}]}")).isEqualTo(StreamOptions.Asks.NO_STREAM);
        assertThat(asks("{\"messages\":[{\"stream\":true}]}")).isEqualTo(StreamOptions.Asks.NO_STREAM);
        assertThat(asks("[1,2]")).isEqualTo(StreamOptions.Asks.NO_STREAM);
        assertThat(asks("{\"stream\":true,")).isEqualTo(StreamOptions.Asks.NO_STREAM);
        assertThat(asks("")).isEqualTo(StreamOptions.Asks.NO_STREAM);
    }

    @Test
    void theRewrittenBodyAsksForUsageAndKeepsTheClientsBytes() {
        String body = "  {\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"h\\u00e9\"}],\"stream\":true}";
        String rewritten = new String(StreamOptions.withUsage(body.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
        assertThat(rewritten).isEqualTo("  {\"stream_options\":{\"include_usage\":true},"
                + "\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"h\\u00e9\"}],\"stream\":true}");
        JsonObject parsed = Json.createReader(new StringReader(rewritten)).readObject();
        assertThat(parsed.getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
        assertThat(StreamOptions.of(rewritten.getBytes(StandardCharsets.UTF_8))).isEqualTo(StreamOptions.Asks.USAGE);
    }
}
