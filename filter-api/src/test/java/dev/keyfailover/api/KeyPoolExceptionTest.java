package dev.keyfailover.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** SPEC section 6: the one error type of an exhausted pool. */
class KeyPoolExceptionTest {

    private static KeyPoolException rateLimited(Duration retryAfter) {
        return new KeyPoolException("openai", KeyPoolException.Kind.RATE_LIMITED, retryAfter);
    }

    @Test
    void rateLimitedIsA429SayingAllKeysAreRateLimited() {
        KeyPoolException e = rateLimited(Duration.ofSeconds(30));

        assertThat(e.kind()).isEqualTo(KeyPoolException.Kind.RATE_LIMITED);
        assertThat(e.kind().status()).isEqualTo(429);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(e.getMessage()).isEqualTo("openai: all configured keys are rate-limited");
    }

    @Test
    void authenticationFailedIsA502SayingAllKeysFailedAuthentication() {
        KeyPoolException e = new KeyPoolException("anthropic", KeyPoolException.Kind.AUTHENTICATION_FAILED,
                Duration.ZERO);

        assertThat(e.kind().status()).isEqualTo(502);
        assertThat(e.retryAfter()).isZero();
        assertThat(e.retryAfterHeaderValue()).isNull();
        assertThat(e.getMessage()).isEqualTo("anthropic: all configured keys failed authentication");
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
        KeyPoolException e = rateLimited(Duration.ofSeconds(-5));

        assertThat(e.retryAfter()).isZero();
        assertThat(e.retryAfterHeaderValue()).isNull();
    }

    @Test
    void kindAndRetryAfterAreRequired() {
        assertThatThrownBy(() -> new KeyPoolException("openai", KeyPoolException.Kind.RATE_LIMITED, null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new KeyPoolException("openai", null, Duration.ZERO))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void kindMessagesSayWhatHappened() {
        assertThat(KeyPoolException.Kind.RATE_LIMITED.message()).isEqualTo("all configured keys are rate-limited");
        assertThat(KeyPoolException.Kind.AUTHENTICATION_FAILED.message())
                .isEqualTo("all configured keys failed authentication");
    }

    @Test
    void carriesNoStackTraceBecauseItIsAnExpectedOutcome() {
        assertThat(rateLimited(Duration.ofSeconds(1)).getStackTrace()).isEmpty();
    }
}
