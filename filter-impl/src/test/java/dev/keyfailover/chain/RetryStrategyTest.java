package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

import javax.net.ssl.SSLHandshakeException;

import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.settings.RetrySettings;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.impl.classic.RequestFailedException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.RequestNotExecutedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * behaviour.md §18: the retry decision is a pure function of the retries so far, upstream's
 * advised wait, the request's deadline, the time and a jitter source; no sockets, no sleeping.
 */
class RetryStrategyTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final Optional<Instant> NO_DEADLINE = Optional.empty();

    private static RetryStrategy strategy(RetrySettings settings, DoubleSupplier jitter) {
        return new RetryStrategy(settings, jitter);
    }

    private static RetryStrategy strategy(double jitter) {
        return strategy(RetrySettings.defaults(), () -> jitter);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 529})
    void theDefaultTransientStatusesAreTransientWhenNoKeyRuleClaimsThem(int status) {
        RetryStrategy strategy = strategy(0.5);

        assertThat(strategy.isTransient(status, KeyVerdict.ACCEPT)).isTrue();
        assertThat(strategy.isTransient(status, KeyVerdict.coolDown(null))).as("failoverOn cooldown wins").isFalse();
        assertThat(strategy.isTransient(status, KeyVerdict.SKIP)).as("failoverOn skip wins").isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 400, 404, 409, 422, 501, 505})
    void otherStatusesAreNotTransient(int status) {
        assertThat(strategy(0.5).isTransient(status, KeyVerdict.ACCEPT)).isFalse();
    }

    @Test
    void transientStatusesAreTheRoutesOwnList() {
        RetryStrategy strategy = strategy(new RetrySettings(2, Set.of(409), Duration.ofMillis(500),
                Duration.ofSeconds(10), Optional.empty()), () -> 0.5);

        assertThat(strategy.isTransient(409, KeyVerdict.ACCEPT)).isTrue();
        assertThat(strategy.isTransient(503, KeyVerdict.ACCEPT)).isFalse();
    }

    @Test
    void refusedResetAndNoHeadAreTransientTimeoutsAndCancellationsAreNot() {
        assertThat(kinds(new ConnectException("refused"), new HttpHostConnectException("refused"),
                new SocketException("Connection reset"), new NoHttpResponseException("no head"),
                new RequestNotExecutedException("stale connection")))
                .containsOnly(TransportFailure.TRANSIENT);
        assertThat(kinds(new SocketTimeoutException("read"), new ConnectTimeoutException("connect"),
                new ConnectionRequestTimeoutException("pool")))
                .containsOnly(TransportFailure.TIMEOUT);
        assertThat(kinds(new RequestFailedException("Request aborted"), new InterruptedIOException("interrupted"),
                new SSLHandshakeException("bad certificate"), new UnknownHostException("nowhere"),
                new ConnectionClosedException("body cut")))
                .containsOnly(TransportFailure.OTHER);
        assertThat(RetryStrategy.isTransient(TransportFailure.TRANSIENT)).isTrue();
        assertThat(RetryStrategy.isTransient(TransportFailure.TIMEOUT)).isFalse();
        assertThat(RetryStrategy.isTransient(TransportFailure.OTHER)).isFalse();
    }

    private static java.util.List<TransportFailure> kinds(IOException... failures) {
        return java.util.Arrays.stream(failures).map(TransportFailure::of).toList();
    }

    @Test
    void eachRetryWaitsItsShareOfADoublingBackoff() {
        assertThat(strategy(1.0).afterTransientFailure(0, Optional.empty(), NO_DEADLINE, NOW))
                .isEqualTo(RetryStep.retryAfter(Duration.ofMillis(500)));
        assertThat(strategy(1.0).afterTransientFailure(1, Optional.empty(), NO_DEADLINE, NOW))
                .isEqualTo(RetryStep.retryAfter(Duration.ofMillis(1000)));
        assertThat(strategy(0.25).afterTransientFailure(1, Optional.empty(), NO_DEADLINE, NOW))
                .isEqualTo(RetryStep.retryAfter(Duration.ofMillis(250)));
        assertThat(strategy(0.0).afterTransientFailure(0, Optional.empty(), NO_DEADLINE, NOW))
                .isEqualTo(RetryStep.retryAfter(Duration.ZERO));
    }

    @Test
    void fullJitterStaysWithinZeroAndTheBackoffCeiling() {
        RetryStrategy strategy = strategy(RetrySettings.defaults().withRetries(10),
                () -> ThreadLocalRandom.current().nextDouble());
        for (int retry = 0; retry < 10; retry++) {
            Duration ceiling = Duration.ofMillis(500L << retry);
            Duration longest = Duration.ZERO;
            Duration shortest = ceiling;
            for (int sample = 0; sample < 2000; sample++) {
                Duration wait = strategy.backoff(retry);
                assertThat(wait).isBetween(Duration.ZERO, ceiling);
                longest = wait.compareTo(longest) > 0 ? wait : longest;
                shortest = wait.compareTo(shortest) < 0 ? wait : shortest;
            }
            // Spread over the range, not a constant: 2000 uniform samples leave no tenth at either end empty.
            assertThat(shortest).isLessThan(ceiling.dividedBy(10));
            assertThat(longest).isGreaterThan(ceiling.multipliedBy(9).dividedBy(10));
        }
    }

    @Test
    void aJitterSourceOutsideZeroToOneIsHeldWithinTheCeiling() {
        assertThat(strategy(7.0).backoff(0)).isEqualTo(Duration.ofMillis(500));
        assertThat(strategy(-1.0).backoff(0)).isEqualTo(Duration.ZERO);
    }

    @Test
    void aRetryAfterWithinMaxRetryWaitIsWaitedForInsteadOfTheBackoff() {
        assertThat(strategy(1.0).afterTransientFailure(0, Optional.of(Duration.ofSeconds(2)), NO_DEADLINE, NOW))
                .isEqualTo(RetryStep.retryAfter(Duration.ofSeconds(2)));
        assertThat(strategy(1.0).afterTransientFailure(0, Optional.of(Duration.ofSeconds(10)), NO_DEADLINE, NOW))
                .as("at most maxRetryWait: at the limit too").isEqualTo(RetryStep.retryAfter(Duration.ofSeconds(10)));
    }

    @Test
    void aRetryAfterBeyondMaxRetryWaitEndsTheRetriesAndPassesTheAnswerOn() {
        assertThat(strategy(1.0).afterTransientFailure(0, Optional.of(Duration.ofSeconds(60)), NO_DEADLINE, NOW))
                .isEqualTo(RetryStep.PASS_ON);
        assertThat(strategy(1.0).afterTransientFailure(0, Optional.of(Duration.ofMillis(10_001)), NO_DEADLINE, NOW))
                .isEqualTo(RetryStep.PASS_ON);
    }

    @Test
    void theRetriesAreSpentAfterRetriesRetries() {
        RetryStrategy strategy = strategy(1.0);

        assertThat(strategy.afterTransientFailure(1, Optional.empty(), NO_DEADLINE, NOW).kind())
                .isEqualTo(RetryStep.Kind.RETRY);
        assertThat(strategy.afterTransientFailure(2, Optional.empty(), NO_DEADLINE, NOW))
                .isEqualTo(RetryStep.GIVE_UP);
    }

    @Test
    void withRetriesOffTheFailureIsPassedOnNotGivenUp() {
        RetryStrategy strategy = strategy(RetrySettings.none(), () -> 1.0);

        assertThat(strategy.afterTransientFailure(0, Optional.empty(), NO_DEADLINE, NOW)).isEqualTo(RetryStep.PASS_ON);
    }

    @Test
    void aWaitThatWouldReachTheDeadlineRunsTheBudgetOut() {
        RetryStrategy strategy = strategy(1.0);
        Optional<Instant> deadline = Optional.of(NOW.plusMillis(500));

        assertThat(strategy.afterTransientFailure(0, Optional.empty(), deadline, NOW))
                .isEqualTo(RetryStep.OUT_OF_BUDGET);
        assertThat(strategy.afterTransientFailure(0, Optional.empty(), deadline, NOW.minusMillis(1)))
                .isEqualTo(RetryStep.retryAfter(Duration.ofMillis(500)));
        assertThat(strategy.afterTransientFailure(0, Optional.of(Duration.ofSeconds(2)), deadline, NOW.minusSeconds(5)))
                .isEqualTo(RetryStep.retryAfter(Duration.ofSeconds(2)));
    }

    @Test
    void noAttemptStartsOnceTheDeadlineIsReached() {
        Optional<Instant> deadline = Optional.of(NOW);

        assertThat(RetryStrategy.outOfBudget(deadline, NOW.minusNanos(1))).isFalse();
        assertThat(RetryStrategy.outOfBudget(deadline, NOW)).isTrue();
        assertThat(RetryStrategy.outOfBudget(NO_DEADLINE, NOW.plusSeconds(86_400))).isFalse();
    }
}
