package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyfailover.chain.HeaderPolicy;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

/** How much buffer one answer's copy holds: with thousands of open streams it is part of each stream's cost. */
class ResponseStreamerTest {

    private final ResponseStreamer streamer = new ResponseStreamer(Mockito.mock(HeaderPolicy.class), 4096);

    @Test
    void aStreamOfUnknownLengthIsCopiedThroughTheRoutesBufferSize() {
        assertThat(streamer.bufferSize(-1)).isEqualTo(4096);
    }

    @Test
    void aSmallBodyOfKnownLengthGetsABufferOfItsOwnSize() {
        assertThat(streamer.bufferSize(1024)).isEqualTo(1024);
        assertThat(streamer.bufferSize(0)).isEqualTo(1);
    }

    @Test
    void aLargeBodyOfKnownLengthGetsAtMostSixteenKib() {
        assertThat(streamer.bufferSize(10L << 20)).isEqualTo(16 * 1024);
    }
}
