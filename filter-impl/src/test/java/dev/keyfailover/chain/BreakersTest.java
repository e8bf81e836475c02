package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.keyfailover.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** behaviour.md §18: the breaker of each (route, model), on a fake clock. */
class BreakersTest {

    private final MutableClock clock = MutableClock.atFixedStart();
    private final Breakers breakers = new Breakers(3, Duration.ofSeconds(10), clock);

    @Test
    void itOpensAfterThresholdFailuresInARowAndASuccessBreaksTheRow() {
        breakers.failed("m");
        breakers.failed("m");
        breakers.succeeded("m");
        assertThat(breakers.failed("m")).isFalse();
        assertThat(breakers.failed("m")).isFalse();
        assertThat(breakers.pass("m")).isEqualTo(Breakers.Pass.CLOSED);
        assertThat(breakers.failed("m")).as("the third in a row").isTrue();
        assertThat(breakers.pass("m")).isEqualTo(Breakers.Pass.OPEN);
        assertThat(breakers.pass("other")).as("per model").isEqualTo(Breakers.Pass.CLOSED);
    }

    @Test
    void afterItsCooldownExactlyOneRequestProbes() {
        open("m");
        clock.advance(Duration.ofMillis(9_999));
        assertThat(breakers.pass("m")).isEqualTo(Breakers.Pass.OPEN);
        clock.advance(Duration.ofMillis(1));

        assertThat(breakers.pass("m")).isEqualTo(Breakers.Pass.PROBE);
        assertThat(breakers.pass("m")).as("while the probe is out").isEqualTo(Breakers.Pass.OPEN);
        breakers.succeeded("m");
        assertThat(breakers.pass("m")).isEqualTo(Breakers.Pass.CLOSED);
    }

    @Test
    void aFailedProbeOpensItForAWholeCooldownAgain() {
        open("m");
        clock.advance(Duration.ofSeconds(10));
        assertThat(breakers.pass("m")).isEqualTo(Breakers.Pass.PROBE);

        assertThat(breakers.failed("m")).isTrue();
        clock.advance(Duration.ofSeconds(9));
        assertThat(breakers.pass("m")).isEqualTo(Breakers.Pass.OPEN);
        clock.advance(Duration.ofSeconds(1));
        assertThat(breakers.pass("m")).isEqualTo(Breakers.Pass.PROBE);
    }

    @Test
    void anAbandonedProbeLetsTheNextRequestProbe() {
        open("m");
        clock.advance(Duration.ofSeconds(10));
        assertThat(breakers.pass("m")).isEqualTo(Breakers.Pass.PROBE);

        breakers.abandoned("m");

        assertThat(breakers.pass("m")).isEqualTo(Breakers.Pass.PROBE);
    }

    @Test
    void modelsPastTheLimitShareOneBreaker() {
        for (int i = 0; i < Breakers.MAX_MODELS; i++) {
            breakers.succeeded("model-" + i);
        }
        open("one-too-many");
        assertThat(breakers.pass("another-too-many")).isEqualTo(Breakers.Pass.OPEN);
        assertThat(breakers.pass("model-0")).isEqualTo(Breakers.Pass.CLOSED);
    }

    private void open(String model) {
        for (int i = 0; i < 3; i++) {
            breakers.failed(model);
        }
        assertThat(breakers.pass(model)).isEqualTo(Breakers.Pass.OPEN);
    }
}
