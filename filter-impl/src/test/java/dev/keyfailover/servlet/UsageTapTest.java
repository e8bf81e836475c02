package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which answers are event streams: flushed chunk by chunk, and filtered for an injected usage chunk (§16). */
class UsageTapTest {

    @Test
    void anEventStreamIsKnownByItsTypeInAnyCaseWithOrWithoutParameters() {
        assertThat(UsageTap.isEventStream("text/event-stream")).isTrue();
        assertThat(UsageTap.isEventStream("Text/Event-Stream; charset=UTF-8")).isTrue();
        assertThat(UsageTap.isEventStream("TEXT/EVENT-STREAM")).isTrue();

        assertThat(UsageTap.isEventStream("application/json")).isFalse();
        assertThat(UsageTap.isEventStream("text/event")).as("shorter than the type").isFalse();
        assertThat(UsageTap.isEventStream(" text/event-stream")).as("as lower-casing saw it: no trimming").isFalse();
        assertThat(UsageTap.isEventStream("")).isFalse();
        assertThat(UsageTap.isEventStream(null)).isFalse();
    }
}
