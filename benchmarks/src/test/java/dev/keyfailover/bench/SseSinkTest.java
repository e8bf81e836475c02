package dev.keyfailover.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The load generator's reading of an event stream ({@link SseSink}): events counted, delays, the end. */
class SseSinkTest {

    private final List<Long> delays = new ArrayList<>();
    private final SseSink sink = new SseSink((delay, at) -> delays.add(delay));

    @Test
    void anEventSplitAcrossReadsCountsOnceWithItsDelayFromItsSendTime() {
        long sent = EpochMicros.now() - 5_000_000;
        String event = "data: {\"i\":0,\"t\":" + sent + ",\"choices\":[]}\n\n";
        int half = event.length() / 2;

        long before = EpochMicros.now();
        feed(event.substring(0, half));
        feed(event.substring(half));
        long after = EpochMicros.now();

        assertThat(sink.events).isEqualTo(1);
        assertThat(delays).hasSize(1);
        // The delay is the arrival (read between before and after) minus the send time the event carries.
        assertThat(sent + delays.get(0)).isBetween(before, after);
        assertThat(sink.done).isFalse();
    }

    @Test
    void onlyDataLinesWithASendTimeAreEventsAndDoneEndsTheStream() {
        feed(": comment\nevent: message\ndata: {\"no\":\"time\"}\n\ndata: {\"t\":1}\r\n\r\n");
        feed("data: [DONE]\n\n");

        assertThat(sink.events).isEqualTo(1);
        assertThat(sink.done).isTrue();
    }

    private void feed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        sink.onData(bytes, 0, bytes.length);
    }
}
