package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.api.ProviderSettings;
import dev.keyfailover.provider.OpenAiProviderFactory;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §3 and §6: the failover strategy is a pure function of an answer's head, its error
 * body and the pool's state, like HttpClient's retry strategy: no pool, no sockets, no marks here.
 */
class FailoverStrategyTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    private final FailoverStrategy strategy = strategy(Duration.ofSeconds(90));

    private static FailoverStrategy strategy(Duration maxWaitForKey) {
        return new FailoverStrategy(new OpenAiProviderFactory().create(new ProviderSettings("openai",
                URI.create("http://upstream.test"), Map.of())), maxWaitForKey);
    }

    /** A pool as the strategy sees it, with fixed answers. */
    private record Pool(boolean untriedKeyUsable, Optional<Duration> soonestCooldownEnd, boolean anyKeyUsable,
                        boolean refusedForItself, boolean anyKeyExhausted, int keyCount) implements PoolView {
        @Override
        public int adminDisabledCount() {
            return 0;
        }
    }

    private static Pool allCooling(Duration soonest) {
        return new Pool(false, Optional.of(soonest), false, false, false, 3);
    }

    private static Pool outOfService(boolean refused, boolean exhausted) {
        return new Pool(false, Optional.empty(), false, refused, exhausted, 3);
    }

    @Test
    void eachVerdictSaysWhatBecomesOfTheAnswer() {
        assertThat(FailoverStrategy.use(KeyVerdict.ACCEPT)).isEqualTo(FailoverStrategy.AnswerUse.DELIVER);
        assertThat(FailoverStrategy.use(KeyVerdict.SKIP)).isEqualTo(FailoverStrategy.AnswerUse.KEEP_AS_REFUSAL);
        assertThat(FailoverStrategy.use(KeyVerdict.coolDown(null))).isEqualTo(FailoverStrategy.AnswerUse.DISCARD);
        assertThat(FailoverStrategy.use(KeyVerdict.DISABLE)).isEqualTo(FailoverStrategy.AnswerUse.DISCARD);
        assertThat(FailoverStrategy.use(KeyVerdict.EXHAUST)).isEqualTo(FailoverStrategy.AnswerUse.DISCARD);
    }

    @Test
    void anAnswerIsJudgedFromItsHeadAndTheStartOfItsErrorBody() {
        BasicHttpResponse quota = new BasicHttpResponse(429);
        assertThat(strategy.readsErrorBody(quota)).isTrue();
        assertThat(strategy.readsErrorBody(new BasicHttpResponse(500))).isFalse();
        assertThat(strategy.judge(quota, "{\"error\":{\"type\":\"insufficient_quota\"}}", NOW))
                .isEqualTo(KeyVerdict.EXHAUST);
        assertThat(strategy.judge(quota, null, NOW).action()).isEqualTo(KeyVerdict.Action.COOL_DOWN);
    }

    @Test
    void whenEveryKeyCoolsAndOneIsBackWithinMaxWaitForKeyTheRequestWaits() {
        FailoverStep step = strategy.whenNoKeyLeft(allCooling(Duration.ofSeconds(60)), 0, NOW, Optional.empty(), false,
                NOW);

        assertThat(step.kind()).isEqualTo(FailoverStep.Kind.WAIT);
        assertThat(step.delay()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aWaitPastTheRequestsMaxWaitForKeyIsAnsweredWithTheRateLimit() {
        FailoverStep step = strategy.whenNoKeyLeft(allCooling(Duration.ofSeconds(60)), 0, NOW, Optional.empty(),
                false, NOW.plusSeconds(40));

        assertThat(step.kind()).isEqualTo(FailoverStep.Kind.ANSWER_EXHAUSTION);
        assertThat(step.exhaustion().kind()).isEqualTo(KeyPoolExhaustion.Kind.RATE_LIMITED);
        assertThat(step.exhaustion().retryAfter()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aWaitForAKeyThatWouldReachTheRequestsBudgetIsNotMade() {
        Optional<Instant> deadline = Optional.of(NOW.plusSeconds(60));

        assertThat(strategy.whenNoKeyLeft(allCooling(Duration.ofSeconds(60)), 0, NOW, deadline, false, NOW).kind())
                .as("§18: requestBudget bounds the waits too").isEqualTo(FailoverStep.Kind.ANSWER_EXHAUSTION);
        assertThat(strategy.whenNoKeyLeft(allCooling(Duration.ofSeconds(59)), 0, NOW, deadline, false, NOW).kind())
                .isEqualTo(FailoverStep.Kind.WAIT);
    }

    @Test
    void aRequestWaitsAtMostOneRoundPerKey() {
        assertThat(strategy.whenNoKeyLeft(allCooling(Duration.ofSeconds(1)), 3, NOW, Optional.empty(), false, NOW)
                .kind())
                .isEqualTo(FailoverStep.Kind.ANSWER_EXHAUSTION);
    }

    @Test
    void withoutMaxWaitForKeyTheRateLimitIsAnsweredAtOnce() {
        assertThat(strategy(Duration.ZERO).whenNoKeyLeft(allCooling(Duration.ofSeconds(1)), 0, NOW, Optional.empty(),
                false, NOW)
                .kind()).isEqualTo(FailoverStep.Kind.ANSWER_EXHAUSTION);
    }

    @Test
    void aKeysRefusalIsRelayedWhenThePoolIsOutOfServiceButNotWhenItIsRateLimited() {
        assertThat(strategy.whenNoKeyLeft(outOfService(true, false), 0, NOW, Optional.empty(), true, NOW).kind())
                .isEqualTo(FailoverStep.Kind.RELAY_REFUSAL);
        assertThat(strategy.whenNoKeyLeft(allCooling(Duration.ofSeconds(600)), 0, NOW, Optional.empty(), true, NOW).kind())
                .as("a rate limit passes: it is said instead").isEqualTo(FailoverStep.Kind.ANSWER_EXHAUSTION);
    }

    @Test
    void aPoolOutOfServiceIsOutOfQuotaWhenAnyKeyIsElseAnAuthenticationFailure() {
        assertThat(strategy.classify(outOfService(false, true)).kind())
                .isEqualTo(KeyPoolExhaustion.Kind.QUOTA_EXHAUSTED);
        assertThat(strategy.classify(outOfService(false, false)).kind())
                .isEqualTo(KeyPoolExhaustion.Kind.AUTHENTICATION_FAILED);
    }

    @Test
    void aKeyTheRequestDidNotTryOrOneBackFromItsCooldownMakesItARateLimitOfZero() {
        assertThat(strategy.classify(new Pool(true, Optional.empty(), true, false, false, 3)).retryAfter())
                .isZero();
        KeyPoolExhaustion back = strategy.classify(new Pool(false, Optional.empty(), true, false, false, 3));
        assertThat(back.kind()).isEqualTo(KeyPoolExhaustion.Kind.RATE_LIMITED);
        assertThat(back.retryAfter()).isZero();
        assertThat(strategy.classify(new Pool(false, Optional.empty(), true, true, false, 3)).kind())
                .as("unless a key refused this request for itself").isEqualTo(KeyPoolExhaustion.Kind.AUTHENTICATION_FAILED);
    }
}
