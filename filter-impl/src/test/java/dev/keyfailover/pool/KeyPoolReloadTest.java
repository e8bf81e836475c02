package dev.keyfailover.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.settings.PoolSettings;
import dev.keyfailover.testing.MutableClock;

/** behaviour.md §14: the pool's list swapped while it serves; fingerprints; an administrator's disable. */
class KeyPoolReloadTest {

    private static final String K0 = "sk-proj-AAAAaaaaBBBBbbbbCCCCcccc0000";
    private static final String K1 = "sk-proj-DDDDddddEEEEeeeeFFFFffff1111";
    private static final String K2 = "sk-proj-GGGGggggHHHHhhhhIIIIiiii2222";

    private final MutableClock clock = MutableClock.atFixedStart();

    private KeyPool pool(String... secrets) {
        return new KeyPool("openai", List.of(secrets), clock, PoolSettings.defaults(), clock::advance,
                LocalKeyStateStore.INSTANCE);
    }

    private static List<KeyEntry> file(String... secrets) {
        return KeyEntry.all(List.of(secrets), KeySource.FILE);
    }

    @Test
    void theFingerprintIsTheFirstSixteenHexDigitsOfTheSha256() {
        // printf %s sk-proj-AAAAaaaaBBBBbbbbCCCCcccc0000 | sha256sum
        assertThat(KeyFingerprint.of(K0)).hasSize(16).matches("[0-9a-f]{16}")
                .isEqualTo(KeyFingerprint.digest(K0).substring(0, 16));
        assertThat(KeyFingerprint.of("abc")).isEqualTo("ba7816bf8f01cfea");
        assertThat(pool(K0).keys().get(0).fingerprint()).isEqualTo(KeyFingerprint.of(K0));
    }

    @Test
    void aKeptKeyKeepsItsStateCountersAndCooldownWhereverItMoves() {
        KeyPool pool = pool(K0, K1);
        Key k1 = pool.keys().get(1);
        try (KeyWalk walk = pool.walk(null)) {
            walk.next();
            Key second = walk.next();
            walk.record(second, 429, KeyVerdict.coolDown(Duration.ofSeconds(30)));
        }

        PoolChange change = pool.replace(file(K2, K1));

        assertThat(pool.keys()).containsExactly(pool.keys().get(0), k1);
        assertThat(change.added()).extracting(Key::fingerprint).containsExactly(KeyFingerprint.of(K2));
        assertThat(change.removed()).extracting(Key::fingerprint).containsExactly(KeyFingerprint.of(K0));
        assertThat(pool.snapshot()).extracting(KeySnapshot::state).containsExactly(KeyState.VALID, KeyState.COOLING);
        assertThat(pool.snapshot().get(1).cooldownRemaining()).isEqualTo(Duration.ofSeconds(30));
        assertThat(pool.snapshot().get(1).attempts()).isEqualTo(1);
        assertThat(pool.snapshot()).extracting(KeySnapshot::index).containsExactly(0, 1);
        assertThat(k1.membership().source()).isEqualTo(KeySource.FILE);
    }

    @Test
    void anAddedKeyGetsANumberNeverUsedBefore() {
        KeyPool pool = pool(K0, K1);
        pool.replace(file(K1));
        pool.replace(file(K1, K0));

        assertThat(pool.keys()).extracting(Key::index).containsExactly(1, 2);
    }

    @Test
    void aRemovedKeyIsSkippedByAWalkThatStartedBeforeAndNeverByANewOne() {
        KeyPool pool = pool(K0, K1);
        Key k0 = pool.keys().get(0);
        try (KeyWalk started = pool.walk(null)) {
            pool.replace(file(K1));

            assertThat(k0.membership().isRetired()).isTrue();
            assertThat(started.next().fingerprint()).isEqualTo(KeyFingerprint.of(K1));
            assertThat(started.next()).isNull();
        }
        try (KeyWalk fresh = pool.walk(null)) {
            assertThat(fresh.next().fingerprint()).isEqualTo(KeyFingerprint.of(K1));
            assertThat(fresh.next()).isNull();
        }
    }

    @Test
    void aBadListLeavesThePoolAsItWas() {
        KeyPool pool = pool(K0, K1);
        List<Key> before = pool.keys();

        assertThatThrownBy(() -> pool.replace(file(K2, K2))).hasMessageContaining("index 1").message()
                .doesNotContain(K2);
        assertThatThrownBy(() -> pool.replace(List.of())).isInstanceOf(IllegalArgumentException.class);

        assertThat(pool.keys()).isSameAs(before);
        assertThat(before).noneMatch(key -> key.membership().isRetired());
    }

    @Test
    void listenersHearOfAddedAndRemovedKeysOnly() {
        KeyPool pool = pool(K0, K1);
        List<PoolChange> heard = new ArrayList<>();
        pool.listen(heard::add);

        pool.replace(file(K1, K0));
        pool.replace(file(K1, K2));

        assertThat(heard).hasSize(1);
        assertThat(heard.get(0).added()).extracting(Key::hint).containsExactly(KeyHint.of(K2));
        assertThat(heard.get(0).removed()).extracting(Key::hint).containsExactly(KeyHint.of(K0));
    }

    @Test
    void anAdminDisabledKeyIsNeitherUsedNorProbedUntilEnabled() {
        KeyPool pool = pool(K0, K1);
        Key k0 = pool.find(KeyFingerprint.of(K0)).orElseThrow();
        try (KeyWalk walk = pool.walk(null)) {
            walk.record(walk.next(), 401, KeyVerdict.DISABLE);
        }
        clock.advance(Duration.ofDays(2));
        assertThat(pool.adminDisable(k0, true)).isTrue();

        try (KeyWalk walk = pool.walk(null)) {
            assertThat(walk.next()).isNotSameAs(k0);
            assertThat(walk.next()).isNull();
        }
        assertThat(pool.snapshot().get(0).state()).isEqualTo(KeyState.DISABLED);
        assertThat(pool.snapshot().get(0).recheckEnabled()).isFalse();

        assertThat(pool.adminDisable(k0, false)).isTrue();
        try (KeyWalk walk = pool.walk(null)) {
            assertThat(walk.next()).as("its re-check is due again").isSameAs(k0);
            assertThat(walk.isProbe(k0)).isTrue();
        }
    }
}
