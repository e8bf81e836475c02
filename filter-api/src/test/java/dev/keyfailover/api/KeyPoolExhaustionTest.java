package dev.keyfailover.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** behaviour.md §6: the one value an exhausted pool is described by. */
class KeyPoolExhaustionTest {

    private static KeyPoolExhaustion rateLimited(Duration retryAfter) {
        return new KeyPoolExhaustion("openai", KeyPoolExhaustion.Kind.RATE_LIMITED, retryAfter);
    }

    @Test
    void rateLimitedIsA429SayingAllKeysAreRateLimited() {
        KeyPoolExhaustion e = rateLimited(Duration.ofSeconds(30));

        assertThat(e.kind()).isEqualTo(KeyPoolExhaustion.Kind.RATE_LIMITED);
        assertThat(e.kind().status()).isEqualTo(429);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(e.message()).isEqualTo("openai: all configured keys are rate-limited");
    }

    @Test
    void authenticationFailedIsA502SayingAllKeysFailedAuthentication() {
        KeyPoolExhaustion e = new KeyPoolExhaustion("anthropic", KeyPoolExhaustion.Kind.AUTHENTICATION_FAILED,
                Duration.ZERO);

        assertThat(e.kind().status()).isEqualTo(502);
        assertThat(e.retryAfter()).isZero();
        assertThat(e.retryAfterHeaderValue()).isNull();
        assertThat(e.message()).isEqualTo("anthropic: all configured keys failed authentication");
    }

    @Test
    void retryAfterHeaderIsWholeSecondsRoundedUp() {
        assertThat(rateLimited(Duration.ofMillis(1)).retryAfterHeaderValue()).isEqualTo("1");
        assertThat(rateLimited(Duration.ofMillis(999)).retryAfterHeaderValue()).isEqualTo("1");
        assertThat(rateLimited(Duration.ofMillis(1000)).retryAfterHeaderValue()).isEqualTo("1");
        assertThat(rateLimited(Duration.ofMillis(1001)).retryAfterHeaderValue()).isEqualTo("2");
        assertThat(rateLimited(Duration.ofMillis(1500)).retryAfterHeaderValue()).isEqualTo("2");
        assertThat(rateLimited(Duration.ofSeconds(60)).retryAfterHeaderValue()).isEqualTo("60");
        assertThat(rateLimited(Duration.ofSeconds(59).plusMillis(1)).retryAfterHeaderValue()).isEqualTo("60");
        assertThat(rateLimited(Duration.ofHours(1)).retryAfterHeaderValue()).isEqualTo("3600");
    }

    @Test
    void retryAfterHeaderRoundsUpSubMillisecondRemaindersToo() {
        // A wait of half a millisecond is not "now": rounded up to whole seconds it is 1.
        assertThat(rateLimited(Duration.ofNanos(500_000)).retryAfterHeaderValue()).isEqualTo("1");
        // One second and one nanosecond, rounded up, is two seconds.
        assertThat(rateLimited(Duration.ofSeconds(1).plusNanos(1)).retryAfterHeaderValue()).isEqualTo("2");
    }

    @Test
    void retryAfterHeaderIsOmittedWhenTheWaitIsZero() {
        assertThat(rateLimited(Duration.ZERO).retryAfterHeaderValue()).isNull();
    }

    @Test
    void negativeRetryAfterIsTreatedAsZero() {
        KeyPoolExhaustion e = rateLimited(Duration.ofSeconds(-5));

        assertThat(e.retryAfter()).isZero();
        assertThat(e.retryAfterHeaderValue()).isNull();
    }

    @Test
    void kindAndRetryAfterAreRequired() {
        assertThatThrownBy(() -> new KeyPoolExhaustion("openai", KeyPoolExhaustion.Kind.RATE_LIMITED, null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new KeyPoolExhaustion("openai", null, Duration.ZERO))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void kindMessagesSayWhatHappened() {
        assertThat(KeyPoolExhaustion.Kind.RATE_LIMITED.message()).isEqualTo("all configured keys are rate-limited");
        assertThat(KeyPoolExhaustion.Kind.AUTHENTICATION_FAILED.message())
                .isEqualTo("all configured keys failed authentication");
    }

    @Test
    void isAValueNotAThrowableBecauseItIsAnExpectedOutcome() {
        assertThat(Throwable.class.isAssignableFrom(KeyPoolExhaustion.class)).isFalse();
        assertThat(rateLimited(Duration.ofSeconds(1))).isEqualTo(rateLimited(Duration.ofSeconds(1)));
    }
}
