package dev.keyfailover.settings;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

/** The validation of maxConcurrentStreams and clientIdleTimeout (their defaults: RouteConfigTest). */
class InboundLimitsTest {

    @Test
    void aLimitBelowOneStreamIsRejectedNamingTheSetting() {
        assertThatThrownBy(() -> new InboundLimits(OptionalInt.of(0), Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConcurrentStreams");
        assertThatThrownBy(() -> new InboundLimits(OptionalInt.of(-5), Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConcurrentStreams");
    }

    @Test
    void aNonPositiveClientIdleTimeoutIsRejectedNamingTheSetting() {
        assertThatThrownBy(() -> new InboundLimits(OptionalInt.empty(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientIdleTimeout");
        assertThatThrownBy(() -> new InboundLimits(OptionalInt.empty(), Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientIdleTimeout");
    }
}
