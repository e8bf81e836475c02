package dev.keyfailover.pool;

import dev.keyfailover.settings.PoolSettings;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.testing.MutableClock;

/** behaviour.md §2: one walk per client request, primary first, never the same key twice. */
class KeyWalkTest {

    private static final List<String> SECRETS = List.of(
            "sk-proj-AAAAaaaaBBBBbbbbCCCCcccc0000",
            "sk-proj-DDDDddddEEEEeeeeFFFFffff1111",
            "sk-proj-GGGGggggHHHHhhhhIIIIiiii2222",
            "sk-proj-JJJJjjjjKKKKkkkkLLLLllll3333");

    private final MutableClock clock = MutableClock.atFixedStart();
    private final KeyPool pool = new KeyPool("openai", SECRETS, clock, PoolSettings.defaults(), clock::advance,
            LocalKeyStateStore.INSTANCE);

    private Key key(int index) {
        return pool.keys().get(index);
    }

    /** Marks a key from a walk of its own, as another request would. */
    private void markByAnotherRequest(int index, KeyVerdict verdict, int status) {
        KeyWalk other = pool.walk(null);
        Key key;
        do {
            key = other.next();
        } while (key != null && key.index() != index);
        assertThat(key).as("key %d must be handed to the marking request", index).isNotNull();
        other.record(key, status, verdict);
    }

    private static List<Integer> drain(KeyWalk walk) {
        List<Integer> handed = new ArrayList<>();
        for (Key key = walk.next(); key != null; key = walk.next()) {
            handed.add(key.index());
        }
        return handed;
    }

    @Test
    void walkStartsAtTheFirstKey() {
        assertThat(pool.walk(null).next()).isSameAs(key(0));
    }

    @Test
    void walkHandsTheKeysInConfiguredOrderThenRunsDry() {
        KeyWalk walk = pool.walk(null);

        assertThat(drain(walk)).containsExactly(0, 1, 2, 3);
        assertThat(walk.next()).isNull();
        assertThat(walk.next()).isNull();
    }

    @Test
    void everyRequestStartsAgainAtThePrimaryKey() {
        KeyWalk first = pool.walk(null);
        first.next();
        first.next();

        assertThat(pool.walk(null).next()).isSameAs(key(0));
    }

    @Test
    void walkHandsTheNextUsableKeyAfterTheLastOneTried() {
        markByAnotherRequest(1, KeyVerdict.coolDown(Duration.ofSeconds(60)), 429);
        markByAnotherRequest(2, KeyVerdict.DISABLE, 401);

        assertThat(drain(pool.walk(null))).containsExactly(0, 3);
    }

    @Test
    void rateLimitedKeyIsSkippedUntilItsCooldownEnds() {
        markByAnotherRequest(0, KeyVerdict.coolDown(Duration.ofSeconds(60)), 429);

        clock.advance(Duration.ofSeconds(59));
        assertThat(pool.walk(null).next()).isSameAs(key(1));

        clock.advance(Duration.ofSeconds(1));
        assertThat(pool.walk(null).next()).isSameAs(key(0));
        assertThat(pool.snapshot().get(0).state()).isEqualTo(KeyState.VALID);
    }

    @Test
    void disabledKeyIsNotHandedToOrdinaryTraffic() {
        markByAnotherRequest(0, KeyVerdict.DISABLE, 401);

        clock.advance(Duration.ofMinutes(14));

        assertThat(drain(pool.walk(null))).containsExactly(1, 2, 3);
    }

    @Test
    void walkNeverRepeatsAKeyEvenAfterItsCooldownEndsMidWalk() {
        KeyWalk walk = pool.walk(null);
        Key first = walk.next();
        walk.record(first, 429, KeyVerdict.coolDown(Duration.ofSeconds(10)));
        assertThat(walk.next()).isSameAs(key(1));

        clock.advance(Duration.ofSeconds(10));
        assertThat(first.state(clock.instant())).isEqualTo(KeyState.VALID);

        assertThat(drain(walk)).containsExactly(2, 3);
        assertThat(walk.next()).isNull();
    }

    @Test
    void walkNeverRepeatsAKeyThatWasResetMidWalk() {
        KeyWalk walk = pool.walk(null);
        walk.record(walk.next(), 401, KeyVerdict.DISABLE);
        walk.next();

        pool.reset(0);

        assertThat(drain(walk)).containsExactly(2, 3);
    }

    @Test
    void walkOverAPoolWithNoUsableKeyRunsDryAtOnce() {
        for (int i = 0; i < SECRETS.size(); i++) {
            markByAnotherRequest(i, KeyVerdict.coolDown(Duration.ofSeconds(30)), 429);
        }

        assertThat(pool.walk(null).next()).isNull();
    }

    @Test
    void walkingAndReadingThePoolChangesNothing() {
        markByAnotherRequest(1, KeyVerdict.coolDown(Duration.ofSeconds(60)), 429);
        markByAnotherRequest(2, KeyVerdict.DISABLE, 401);
        clock.advance(Duration.ofSeconds(5));
        List<KeySnapshot> before = pool.snapshot();

        KeyWalk walk = pool.walk(null);
        List<Integer> handed = drain(walk);
        walk.untriedKeyUsable();
        walk.refusedForItself();
        for (Key key : pool.keys()) {
            key.state(clock.instant());
            walk.isProbe(key);
        }
        pool.walk(null).next();
        pool.snapshot();
        walk.close();

        assertThat(handed).containsExactly(0, 3);
        assertThat(pool.snapshot()).isEqualTo(before);
    }

    @Test
    void anOrdinaryKeyIsNotAProbe() {
        KeyWalk walk = pool.walk(null);
        Key key = walk.next();

        assertThat(walk.isProbe(key)).isFalse();
    }

    @Test
    void recordCountsEveryAttemptOnTheKey() {
        KeyWalk walk = pool.walk(null);
        Key key = walk.next();
        walk.record(key, 200, KeyVerdict.ACCEPT);
        walk.record(key, 404, KeyVerdict.ACCEPT);
        walk.recordTransportFailure(key);

        KeySnapshot snapshot = pool.snapshot().get(0);
        assertThat(snapshot.attempts()).isEqualTo(3);
        assertThat(snapshot.successes()).isEqualTo(1);
        assertThat(snapshot.failures()).isEqualTo(2);
        assertThat(snapshot.lastStatus()).isEqualTo(-1);
    }

    @Test
    void transportFailureIsNotAKeyProblem() {
        KeyWalk walk = pool.walk(null);
        Key key = walk.next();

        walk.recordTransportFailure(key);

        assertThat(pool.snapshot()).extracting(KeySnapshot::state).containsOnly(KeyState.VALID);
        assertThat(pool.walk(null).next()).isSameAs(key);
    }
}
