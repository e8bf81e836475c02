package dev.keyfailover.pool;

import dev.keyfailover.settings.PoolSettings;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.keyfailover.api.FailoverRules;
import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.testing.MutableClock;

/**
 * behaviour.md §3: what an upstream answer does to the key that was used, from the response
 * through {@link FailoverRules#judge} to {@link KeyWalk#record}.
 */
class KeyMarkingTest {

    private static final List<String> SECRETS = List.of(
            "sk-proj-AAAAaaaaBBBBbbbbCCCCcccc0000",
            "sk-proj-DDDDddddEEEEeeeeFFFFffff1111",
            "sk-proj-GGGGggggHHHHhhhhIIIIiiii2222");

    private final MutableClock clock = MutableClock.atFixedStart();

    private KeyPool pool(PoolSettings settings) {
        return new KeyPool("openai", SECRETS, clock, settings, clock::advance, LocalKeyStateStore.INSTANCE);
    }

    private final KeyPool pool = pool(PoolSettings.defaults());

    private static BasicHttpResponse response(int status, String... nameValuePairs) {
        BasicHttpResponse response = new BasicHttpResponse(status);
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            response.addHeader(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return response;
    }

    private static String httpDate(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    /** One request: takes the first key and records the upstream answer under the rules. */
    private boolean answerFirstKey(KeyPool pool, FailoverRules rules, BasicHttpResponse answer) {
        KeyWalk walk = pool.walk(null);
        Key key = walk.next();
        assertThat(key.index()).isZero();
        return walk.record(key, answer.getCode(), rules.judge(answer, clock.instant()));
    }

    private boolean answerFirstKey(BasicHttpResponse answer) {
        return answerFirstKey(pool, FailoverRules.defaults(), answer);
    }

    private KeySnapshot first() {
        return pool.snapshot().get(0);
    }

    // --- 429 ---

    @Test
    void rateLimitedKeyCoolsDownForRetryAfterMs() {
        assertThat(answerFirstKey(response(429, "retry-after-ms", "1500"))).isTrue();

        assertThat(first().state()).isEqualTo(KeyState.COOLING);
        assertThat(first().cooldownRemaining()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void rateLimitedKeyCoolsDownForXMsRetryAfterMs() {
        answerFirstKey(response(429, "x-ms-retry-after-ms", "2500"));

        assertThat(first().cooldownRemaining()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void rateLimitedKeyCoolsDownForRetryAfterDeltaSeconds() {
        answerFirstKey(response(429, "Retry-After", "30"));

        assertThat(first().state()).isEqualTo(KeyState.COOLING);
        assertThat(first().cooldownRemaining()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void rateLimitedKeyCoolsDownUntilRetryAfterHttpDateMeasuredOnThePoolClock() {
        clock.advance(Duration.ofDays(3).plusHours(7));

        answerFirstKey(response(429, "Retry-After", httpDate(clock.instant().plusSeconds(90))));

        assertThat(first().cooldownRemaining()).isEqualTo(Duration.ofSeconds(90));
    }

    @ParameterizedTest(name = "Retry-After: [{0}]")
    @ValueSource(strings = {"soon", "0", "-30", "", "Mon, 01 Jan 2001 00:00:00 GMT"})
    void rateLimitedKeyWithUnusableRetryAfterCoolsDownForSixtySeconds(String value) {
        answerFirstKey(response(429, "Retry-After", value));

        assertThat(first().state()).isEqualTo(KeyState.COOLING);
        assertThat(first().cooldownRemaining()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void rateLimitedKeyWithoutAnyHintCoolsDownForSixtySeconds() {
        answerFirstKey(response(429));

        assertThat(first().cooldownRemaining()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void millisecondHintWinsOverRetryAfter() {
        answerFirstKey(response(429, "Retry-After", "30", "retry-after-ms", "4000"));

        assertThat(first().cooldownRemaining()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void garbageMillisecondHintFallsBackToRetryAfter() {
        answerFirstKey(response(429, "retry-after-ms", "later", "Retry-After", "25"));

        assertThat(first().cooldownRemaining()).isEqualTo(Duration.ofSeconds(25));
    }

    @Test
    void cooldownIsCappedAtOneHourByDefault() {
        answerFirstKey(response(429, "Retry-After", "86400"));

        assertThat(first().cooldownRemaining()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void cooldownIsCappedAtTheConfiguredMaxCooldown() {
        KeyPool capped = pool(PoolSettings.defaults().withMaxCooldown(Duration.ofMinutes(5)));

        answerFirstKey(capped, FailoverRules.defaults(), response(429, "retry-after-ms", "600000"));

        assertThat(capped.snapshot().get(0).cooldownRemaining()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void cooldownBelowTheCapIsKeptAsAdvised() {
        KeyPool capped = pool(PoolSettings.defaults().withMaxCooldown(Duration.ofMinutes(5)));

        answerFirstKey(capped, FailoverRules.defaults(), response(429, "Retry-After", "299"));

        assertThat(capped.snapshot().get(0).cooldownRemaining()).isEqualTo(Duration.ofSeconds(299));
    }

    @Test
    void zeroCooldownVerdictFallsBackToTheDefaultCooldown() {
        KeyWalk walk = pool.walk(null);
        walk.record(walk.next(), 429, KeyVerdict.coolDown(Duration.ZERO));

        assertThat(first().cooldownRemaining()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aMarkNeverShortensACooldown() {
        KeyWalk a = pool.walk(null);
        KeyWalk b = pool.walk(null);
        Key keyA = a.next();
        Key keyB = b.next();

        assertThat(a.record(keyA, 429, KeyVerdict.coolDown(Duration.ofSeconds(120)))).isTrue();
        assertThat(b.record(keyB, 429, KeyVerdict.coolDown(Duration.ofSeconds(30)))).isFalse();

        assertThat(first().state()).isEqualTo(KeyState.COOLING);
        assertThat(first().cooldownRemaining()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void aLaterDeadlineExtendsACooldownWithoutCountingAsANewTransition() {
        KeyWalk a = pool.walk(null);
        KeyWalk b = pool.walk(null);
        Key keyA = a.next();
        Key keyB = b.next();
        a.record(keyA, 429, KeyVerdict.coolDown(Duration.ofSeconds(30)));
        clock.advance(Duration.ofSeconds(10));

        assertThat(b.record(keyB, 429, KeyVerdict.coolDown(Duration.ofSeconds(300)))).isFalse();

        assertThat(first().cooldownRemaining()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void aMarkAfterACooldownEndedStartsANewCooldownAndCountsAsATransition() {
        answerFirstKey(response(429, "Retry-After", "10"));
        clock.advance(Duration.ofSeconds(10));

        assertThat(answerFirstKey(response(429, "Retry-After", "20"))).isTrue();

        assertThat(first().cooldownRemaining()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void rateLimitMarksOnlyTheKeyThatWasUsed() {
        answerFirstKey(response(429));

        assertThat(pool.snapshot()).extracting(KeySnapshot::state)
                .containsExactly(KeyState.COOLING, KeyState.VALID, KeyState.VALID);
    }

    // --- 401 ---

    @Test
    void unauthorizedKeyIsDisabled() {
        assertThat(answerFirstKey(response(401))).isTrue();

        assertThat(first().state()).isEqualTo(KeyState.DISABLED);
        assertThat(pool.walk(null).next().index()).isEqualTo(1);
    }

    @Test
    void disablingAnAlreadyDisabledKeyReportsNoChange() {
        KeyWalk a = pool.walk(null);
        KeyWalk b = pool.walk(null);
        Key keyA = a.next();
        Key keyB = b.next();

        assertThat(a.record(keyA, 401, KeyVerdict.DISABLE)).isTrue();
        assertThat(b.record(keyB, 401, KeyVerdict.DISABLE)).isFalse();
        assertThat(first().state()).isEqualTo(KeyState.DISABLED);
    }

    @Test
    void unauthorizedDisablesACoolingKey() {
        KeyWalk a = pool.walk(null);
        KeyWalk b = pool.walk(null);
        Key keyA = a.next();
        Key keyB = b.next();
        a.record(keyA, 429, KeyVerdict.coolDown(Duration.ofSeconds(60)));

        assertThat(b.record(keyB, 401, KeyVerdict.DISABLE)).isTrue();

        assertThat(first().state()).isEqualTo(KeyState.DISABLED);
    }

    @Test
    void disabledKeyIgnoresALaterRateLimit() {
        KeyWalk a = pool.walk(null);
        KeyWalk b = pool.walk(null);
        Key keyA = a.next();
        Key keyB = b.next();
        a.record(keyA, 401, KeyVerdict.DISABLE);

        boolean changed = b.record(keyB, 429,
                FailoverRules.defaults().judge(response(429, "Retry-After", "5"), clock.instant()));

        assertThat(changed).isFalse();
        assertThat(first().state()).isEqualTo(KeyState.DISABLED);
        // still waiting for its re-check, not for the 5 s cooldown
        assertThat(first().cooldownRemaining()).isEqualTo(Duration.ofMinutes(15));
        clock.advance(Duration.ofSeconds(5));
        assertThat(first().state()).isEqualTo(KeyState.DISABLED);
    }

    // --- 403 ---

    @Test
    void forbiddenKeyIsLeftUntouchedAndSkippedForThisRequestOnly() {
        KeyWalk walk = pool.walk(null);
        Key key = walk.next();
        KeyVerdict verdict = FailoverRules.defaults().judge(response(403), clock.instant());

        assertThat(verdict.action()).as("fails over").isNotEqualTo(KeyVerdict.Action.ACCEPT);
        assertThat(walk.record(key, 403, verdict)).isFalse();

        assertThat(first().state()).isEqualTo(KeyState.VALID);
        assertThat(first().cooldownRemaining()).isZero();
        assertThat(walk.next().index()).isEqualTo(1);
        assertThat(pool.walk(null).next()).isSameAs(key);
    }

    @Test
    void forbiddenKeyIsDisabledWithOn403Disable() {
        FailoverRules rules = FailoverRules.builder().on403(FailoverRules.On403.DISABLE).build();

        assertThat(answerFirstKey(pool, rules, response(403))).isTrue();

        assertThat(first().state()).isEqualTo(KeyState.DISABLED);
        assertThat(first().cooldownRemaining()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void forbiddenKeyStaysValidAndTheAnswerGoesToTheClientWithOn403Pass() {
        FailoverRules rules = FailoverRules.builder().on403(FailoverRules.On403.PASS).build();
        KeyWalk walk = pool.walk(null);
        Key key = walk.next();
        KeyVerdict verdict = rules.judge(response(403), clock.instant());

        assertThat(verdict.action()).as("goes to the client").isEqualTo(KeyVerdict.Action.ACCEPT);
        assertThat(walk.record(key, 403, verdict)).isFalse();
        assertThat(first().state()).isEqualTo(KeyState.VALID);
    }

    // --- failoverOn ---

    @Test
    void addedStatusWithCoolDownRuleCoolsTheKeyLikeA429() {
        FailoverRules rules = FailoverRules.builder().failoverOn(529, KeyVerdict.Action.COOL_DOWN).build();

        assertThat(answerFirstKey(pool, rules, response(529, "Retry-After", "20"))).isTrue();

        assertThat(first().state()).isEqualTo(KeyState.COOLING);
        assertThat(first().cooldownRemaining()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void addedStatusWithCoolDownRuleIsCappedLikeA429() {
        FailoverRules rules = FailoverRules.builder().failoverOn(529, KeyVerdict.Action.COOL_DOWN).build();

        answerFirstKey(pool, rules, response(529, "Retry-After", "100000"));

        assertThat(first().cooldownRemaining()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void addedStatusWithSkipRuleSkipsTheKeyForThisRequestOnly() {
        FailoverRules rules = FailoverRules.builder().failoverOn(402, KeyVerdict.Action.SKIP).build();
        KeyWalk walk = pool.walk(null);
        Key key = walk.next();
        KeyVerdict verdict = rules.judge(response(402), clock.instant());

        assertThat(verdict.action()).as("fails over").isNotEqualTo(KeyVerdict.Action.ACCEPT);
        assertThat(walk.record(key, 402, verdict)).isFalse();
        assertThat(first().state()).isEqualTo(KeyState.VALID);
        assertThat(walk.next().index()).isEqualTo(1);
        assertThat(pool.walk(null).next()).isSameAs(key);
    }

    // --- anything else ---

    @ParameterizedTest(name = "status {0}")
    @ValueSource(ints = {200, 201, 302, 400, 404, 500, 503})
    void otherStatusesLeaveTheKeyUnchanged(int status) {
        BasicHttpResponse answer = response(status, "Retry-After", "30");
        KeyWalk walk = pool.walk(null);
        Key key = walk.next();
        KeyVerdict verdict = FailoverRules.defaults().judge(answer, clock.instant());

        assertThat(verdict.action()).as("goes to the client").isEqualTo(KeyVerdict.Action.ACCEPT);
        assertThat(walk.record(key, status, verdict)).isFalse();

        assertThat(pool.snapshot()).extracting(KeySnapshot::state).containsOnly(KeyState.VALID);
        assertThat(first().cooldownRemaining()).isZero();
        assertThat(first().lastStatus()).isEqualTo(status);
    }

    @Test
    void otherStatusesDoNotEndAnExistingCooldown() {
        KeyWalk a = pool.walk(null);
        KeyWalk b = pool.walk(null);
        Key keyA = a.next();
        Key keyB = b.next();
        a.record(keyA, 429, KeyVerdict.coolDown(Duration.ofSeconds(60)));

        assertThat(b.record(keyB, 200, KeyVerdict.ACCEPT)).isFalse();

        assertThat(first().state()).isEqualTo(KeyState.COOLING);
        assertThat(first().cooldownRemaining()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void okAnswerDoesNotBringADisabledKeyBackOutsideAProbe() {
        KeyWalk a = pool.walk(null);
        KeyWalk b = pool.walk(null);
        Key keyA = a.next();
        Key keyB = b.next();
        a.record(keyA, 401, KeyVerdict.DISABLE);

        assertThat(b.record(keyB, 200, KeyVerdict.ACCEPT)).isFalse();

        assertThat(first().state()).isEqualTo(KeyState.DISABLED);
    }

    @Test
    void aKeyKeepsStateForAtMostSixtyFourModelsAndThenCoolsAsAWhole() {
        KeyPool pool = new KeyPool("openai", java.util.List.of("sk-many-models-000000000001"), clock,
                PoolSettings.defaults(), Sleeper.THREAD, LocalKeyStateStore.INSTANCE);
        Key key = pool.keys().get(0);
        java.time.Instant now = clock.instant();
        for (int i = 0; i < Key.MAX_MODELS; i++) {
            assertThat(key.coolModelUntil("model-" + i, now.plusSeconds(30), now)).isTrue();
        }
        assertThat(key.state(now)).isEqualTo(KeyState.VALID);

        // One model too many, while the others still cool: the whole key cools instead of growing the map.
        key.coolModelUntil("model-one-too-many", now.plusSeconds(30), now);

        assertThat(key.state(now)).isEqualTo(KeyState.COOLING);
        assertThat(pool.snapshot().get(0).models()).hasSize(Key.MAX_MODELS);
    }

    @Test
    void endedModelCooldownsMakeRoomForNewModels() {
        KeyPool pool = new KeyPool("openai", java.util.List.of("sk-many-models-000000000002"), clock,
                PoolSettings.defaults(), Sleeper.THREAD, LocalKeyStateStore.INSTANCE);
        Key key = pool.keys().get(0);
        java.time.Instant now = clock.instant();
        for (int i = 0; i < Key.MAX_MODELS; i++) {
            key.coolModelUntil("model-" + i, now.plusSeconds(30), now);
        }
        clock.advance(java.time.Duration.ofSeconds(31));
        java.time.Instant later = clock.instant();

        assertThat(key.coolModelUntil("a-new-model", later.plusSeconds(30), later)).isTrue();

        assertThat(key.state(later)).isEqualTo(KeyState.VALID);
        assertThat(pool.snapshot().get(0).models()).extracting(KeySnapshot.ModelSnapshot::model)
                .containsExactly("a-new-model");
    }
}
