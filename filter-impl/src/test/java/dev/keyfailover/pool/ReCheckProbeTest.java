package dev.keyfailover.pool;

import dev.keyfailover.settings.PoolSettings;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.junit.jupiter.api.Test;

import dev.keyfailover.api.FailoverRules;
import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.testing.MutableClock;

/** behaviour.md §1: a DISABLED key is re-checked by one probe at a time, with a doubling interval. */
class ReCheckProbeTest {

    private static final List<String> SECRETS = List.of(
            "sk-proj-AAAAaaaaBBBBbbbbCCCCcccc0000",
            "sk-proj-DDDDddddEEEEeeeeFFFFffff1111");

    private final MutableClock clock = MutableClock.atFixedStart();
    private final KeyPool pool = pool(PoolSettings.defaults());

    private KeyPool pool(PoolSettings settings) {
        return new KeyPool("openai", SECRETS, clock, settings, clock::advance, LocalKeyStateStore.INSTANCE);
    }

    private static void disableFirstKey(KeyPool pool) {
        KeyWalk walk = pool.walk(null);
        Key key = walk.next();
        assertThat(key.index()).isZero();
        assertThat(walk.record(key, 401, KeyVerdict.DISABLE)).isTrue();
    }

    private static KeySnapshot first(KeyPool pool) {
        return pool.snapshot().get(0);
    }

    /** Takes the due probe on key 0 and fails it with a new 401. */
    private static void failProbe(KeyPool pool) {
        KeyWalk walk = pool.walk(null);
        Key key = walk.next();
        assertThat(key.index()).isZero();
        assertThat(walk.isProbe(key)).isTrue();
        walk.record(key, 401, KeyVerdict.DISABLE);
    }

    @Test
    void disabledKeyIsNotReCheckedBeforeAuthRecheck() {
        disableFirstKey(pool);

        clock.advance(Duration.ofMinutes(15).minusSeconds(1));

        KeyWalk walk = pool.walk(null);
        assertThat(walk.next().index()).isEqualTo(1);
        assertThat(walk.next()).isNull();
        assertThat(first(pool).cooldownRemaining()).isEqualTo(Duration.ofSeconds(1));
        assertThat(first(pool).recheckEnabled()).isTrue();
    }

    @Test
    void disabledKeyIsHandedAsAProbeOnceAuthRecheckHasPassed() {
        disableFirstKey(pool);

        clock.advance(Duration.ofMinutes(15));

        KeyWalk walk = pool.walk(null);
        Key key = walk.next();
        assertThat(key.index()).isZero();
        assertThat(walk.isProbe(key)).isTrue();
        assertThat(first(pool).state()).isEqualTo(KeyState.DISABLED);
        Key next = walk.next();
        assertThat(next.index()).isEqualTo(1);
        assertThat(walk.isProbe(next)).isFalse();
    }

    @Test
    void probeIsNotAProbeForAnotherWalk() {
        disableFirstKey(pool);
        clock.advance(Duration.ofMinutes(15));
        KeyWalk prober = pool.walk(null);
        Key key = prober.next();

        assertThat(pool.walk(null).isProbe(key)).isFalse();
    }

    @Test
    void concurrentSecondWalkSkipsTheKeyWhileItsProbeIsInFlight() {
        disableFirstKey(pool);
        clock.advance(Duration.ofMinutes(20));
        KeyWalk prober = pool.walk(null);
        assertThat(prober.isProbe(prober.next())).isTrue();

        KeyWalk other = pool.walk(null);

        assertThat(other.next().index()).isEqualTo(1);
        assertThat(other.next()).isNull();
    }

    @Test
    void successfulProbeMakesTheKeyValidAgain() {
        disableFirstKey(pool);
        clock.advance(Duration.ofMinutes(15));
        KeyWalk walk = pool.walk(null);
        Key key = walk.next();

        assertThat(walk.record(key, 200, KeyVerdict.ACCEPT)).isTrue();

        assertThat(first(pool).state()).isEqualTo(KeyState.VALID);
        KeyWalk next = pool.walk(null);
        Key again = next.next();
        assertThat(again).isSameAs(key);
        assertThat(next.isProbe(again)).isFalse();
    }

    @Test
    void probeJudgedByTheRulesOnAnOkAnswerMakesTheKeyValidAgain() {
        disableFirstKey(pool);
        clock.advance(Duration.ofMinutes(15));
        KeyWalk walk = pool.walk(null);
        Key key = walk.next();
        KeyVerdict verdict = FailoverRules.defaults().judge(new BasicHttpResponse(200), clock.instant());

        assertThat(walk.record(key, 200, verdict)).isTrue();
        assertThat(first(pool).state()).isEqualTo(KeyState.VALID);
    }

    @Test
    void failedProbeKeepsTheKeyDisabledAndDoublesTheRecheckInterval() {
        disableFirstKey(pool);
        clock.advance(Duration.ofMinutes(15));
        KeyWalk walk = pool.walk(null);
        Key key = walk.next();

        assertThat(walk.record(key, 401, KeyVerdict.DISABLE)).isFalse();

        assertThat(first(pool).state()).isEqualTo(KeyState.DISABLED);
        assertThat(first(pool).cooldownRemaining()).isEqualTo(Duration.ofMinutes(30));
        clock.advance(Duration.ofMinutes(30).minusSeconds(1));
        assertThat(pool.walk(null).next().index()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        KeyWalk later = pool.walk(null);
        Key probe = later.next();
        assertThat(probe).isSameAs(key);
        assertThat(later.isProbe(probe)).isTrue();
    }

    @Test
    void recheckIntervalDoublesAfterEachFailedProbeUpToTwentyFourHours() {
        disableFirstKey(pool);
        List<Duration> intervals = new ArrayList<>();
        intervals.add(first(pool).cooldownRemaining());

        for (int i = 0; i < 9; i++) {
            clock.advance(first(pool).cooldownRemaining());
            failProbe(pool);
            intervals.add(first(pool).cooldownRemaining());
        }

        assertThat(intervals).containsExactly(
                Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofMinutes(60), Duration.ofMinutes(120),
                Duration.ofMinutes(240), Duration.ofMinutes(480), Duration.ofMinutes(960),
                Duration.ofHours(24), Duration.ofHours(24), Duration.ofHours(24));
    }

    @Test
    void recheckIntervalIsCappedAtTheConfiguredMaximum() {
        KeyPool capped = pool(new PoolSettings(Optional.of(Duration.ofMinutes(15)), Duration.ofMinutes(45),
                Duration.ofHours(1), Duration.ZERO));
        disableFirstKey(capped);
        List<Duration> intervals = new ArrayList<>();
        intervals.add(first(capped).cooldownRemaining());

        for (int i = 0; i < 3; i++) {
            clock.advance(first(capped).cooldownRemaining());
            failProbe(capped);
            intervals.add(first(capped).cooldownRemaining());
        }

        assertThat(intervals).containsExactly(
                Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofMinutes(45), Duration.ofMinutes(45));
    }

    @Test
    void configuredAuthRecheckIsTheFirstInterval() {
        KeyPool custom = pool(PoolSettings.defaults().withAuthRecheck(Optional.of(Duration.ofMinutes(2))));
        disableFirstKey(custom);

        assertThat(first(custom).cooldownRemaining()).isEqualTo(Duration.ofMinutes(2));
        clock.advance(Duration.ofMinutes(2));
        failProbe(custom);
        assertThat(first(custom).cooldownRemaining()).isEqualTo(Duration.ofMinutes(4));
    }

    @Test
    void probeAbandonedByClosingTheWalkLeavesTheRecheckDueForAnotherWalk() {
        disableFirstKey(pool);
        clock.advance(Duration.ofMinutes(15));
        try (KeyWalk walk = pool.walk(null)) {
            assertThat(walk.isProbe(walk.next())).isTrue();
        }

        assertThat(first(pool).state()).isEqualTo(KeyState.DISABLED);
        assertThat(first(pool).cooldownRemaining()).isZero();
        KeyWalk another = pool.walk(null);
        Key key = another.next();
        assertThat(key.index()).isZero();
        assertThat(another.isProbe(key)).isTrue();
    }

    @Test
    void probeAbandonedByATransportFailureLeavesTheRecheckDueForAnotherWalk() {
        disableFirstKey(pool);
        clock.advance(Duration.ofMinutes(15));
        KeyWalk walk = pool.walk(null);
        Key probe = walk.next();

        walk.recordTransportFailure(probe);

        assertThat(first(pool).state()).isEqualTo(KeyState.DISABLED);
        assertThat(first(pool).cooldownRemaining()).isZero();
        KeyWalk another = pool.walk(null);
        assertThat(another.isProbe(another.next())).isTrue();
        // and the interval did not double: failing this probe gives 30 minutes, not 60
        another.record(probe, 401, KeyVerdict.DISABLE);
        assertThat(first(pool).cooldownRemaining()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void closingAWalkAfterItsProbeWasRecordedChangesNothing() {
        disableFirstKey(pool);
        clock.advance(Duration.ofMinutes(15));
        KeyWalk walk = pool.walk(null);
        walk.record(walk.next(), 401, KeyVerdict.DISABLE);
        List<KeySnapshot> before = pool.snapshot();

        walk.close();

        assertThat(pool.snapshot()).isEqualTo(before);
        assertThat(pool.walk(null).next().index()).isEqualTo(1);
    }

    @Test
    void probeAnsweredWithARateLimitStaysDisabledNotCooling() {
        disableFirstKey(pool);
        clock.advance(Duration.ofMinutes(15));
        KeyWalk walk = pool.walk(null);
        Key probe = walk.next();

        assertThat(walk.record(probe, 429, KeyVerdict.coolDown(Duration.ofSeconds(30)))).isFalse();

        assertThat(first(pool).state()).isEqualTo(KeyState.DISABLED);
        clock.advance(Duration.ofSeconds(30));
        assertThat(first(pool).state()).isEqualTo(KeyState.DISABLED);
    }

    @Test
    void probeAnsweredWithARateLimitIsNotReprobedBeforeTheAdvisedWait() {
        disableFirstKey(pool);
        clock.advance(Duration.ofMinutes(15));
        KeyWalk walk = pool.walk(null);
        walk.record(walk.next(), 429, KeyVerdict.coolDown(Duration.ofSeconds(30)));
        walk.close();

        assertThat(pool.walk(null).next().index()).as("re-probed at once").isEqualTo(1);
        assertThat(first(pool).cooldownRemaining()).isEqualTo(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        KeyWalk later = pool.walk(null);
        assertThat(later.next().index()).isZero();
        assertThat(later.isProbe(pool.keys().get(0))).isTrue();
    }

    @Test
    void keyDisabledAgainAfterASuccessfulProbeStartsAgainAtTheFirstInterval() {
        disableFirstKey(pool);
        clock.advance(Duration.ofMinutes(15));
        failProbe(pool);
        clock.advance(Duration.ofMinutes(30));
        KeyWalk walk = pool.walk(null);
        walk.record(walk.next(), 200, KeyVerdict.ACCEPT);
        assertThat(first(pool).state()).isEqualTo(KeyState.VALID);

        disableFirstKey(pool);

        assertThat(first(pool).cooldownRemaining()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void authRecheckNeverKeepsTheKeyDisabledForGood() {
        KeyPool never = pool(PoolSettings.defaults().withAuthRecheck(Optional.empty()));
        disableFirstKey(never);

        clock.advance(Duration.ofDays(365));

        KeyWalk walk = never.walk(null);
        assertThat(walk.next().index()).isEqualTo(1);
        assertThat(walk.next()).isNull();
        assertThat(first(never).state()).isEqualTo(KeyState.DISABLED);
        assertThat(first(never).recheckEnabled()).isFalse();
        assertThat(first(never).cooldownRemaining()).isZero();
    }

    @Test
    void resetBringsADisabledKeyBack() {
        KeyPool never = pool(PoolSettings.defaults().withAuthRecheck(Optional.empty()));
        disableFirstKey(never);

        assertThat(never.reset(0)).isTrue();

        assertThat(first(never).state()).isEqualTo(KeyState.VALID);
        KeyWalk walk = never.walk(null);
        Key key = walk.next();
        assertThat(key.index()).isZero();
        assertThat(walk.isProbe(key)).isFalse();
    }

    @Test
    void resetForgetsTheDoubledRecheckInterval() {
        disableFirstKey(pool);
        clock.advance(Duration.ofMinutes(15));
        failProbe(pool);
        assertThat(first(pool).cooldownRemaining()).isEqualTo(Duration.ofMinutes(30));

        pool.reset(0);
        disableFirstKey(pool);

        assertThat(first(pool).cooldownRemaining()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void resetDuringAProbeLeavesTheKeyValidWhenTheProbingWalkCloses() {
        disableFirstKey(pool);
        clock.advance(Duration.ofMinutes(15));
        KeyWalk walk = pool.walk(null);
        Key probe = walk.next();

        pool.reset(0);
        walk.close();

        assertThat(first(pool).state()).isEqualTo(KeyState.VALID);
        assertThat(pool.walk(null).next()).isSameAs(probe);
    }

    /** Key 0 out of credit (a 402), its quota re-check due, and taken by a walk as its probe. */
    private KeyWalk probeOfExhaustedFirstKey() {
        KeyWalk exhauster = pool.walk(null);
        assertThat(exhauster.record(exhauster.next(), 402, KeyVerdict.EXHAUST)).isTrue();
        clock.advance(Duration.ofHours(1));
        KeyWalk walk = pool.walk(null);
        Key probe = walk.next();
        assertThat(probe.index()).isZero();
        assertThat(walk.isProbe(probe)).isTrue();
        return walk;
    }

    @Test
    void exhaustedKeyProbeAnsweredWithPlain400StaysExhausted() {
        KeyWalk walk = probeOfExhaustedFirstKey();

        // A 400 may refuse the request before the balance is looked at: no proof of credit (§1, §9).
        assertThat(walk.record(pool.keys().get(0), 400, KeyVerdict.ACCEPT)).isFalse();

        assertThat(first(pool).state()).isEqualTo(KeyState.EXHAUSTED);
        KeyWalk next = pool.walk(null);
        assertThat(next.next().index()).as("the re-check stays due").isZero();
        assertThat(next.isProbe(pool.keys().get(0))).isTrue();
    }

    @Test
    void exhaustedKeyProbeAnsweredWith2xxIsValidAgain() {
        KeyWalk walk = probeOfExhaustedFirstKey();

        assertThat(walk.record(pool.keys().get(0), 201, KeyVerdict.ACCEPT)).isTrue();

        assertThat(first(pool).state()).isEqualTo(KeyState.VALID);
    }

    @Test
    void disabledKeyProbeAnsweredWithPlain400IsValidAgainBecauseTheKeyAuthenticated() {
        disableFirstKey(pool);
        clock.advance(Duration.ofMinutes(15));
        KeyWalk walk = pool.walk(null);

        assertThat(walk.record(walk.next(), 400, KeyVerdict.ACCEPT)).isTrue();

        assertThat(first(pool).state()).isEqualTo(KeyState.VALID);
    }
}
