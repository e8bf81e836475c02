package dev.keyfailover.pool;

import dev.keyfailover.settings.PoolSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.testing.MutableClock;

/** behaviour.md §1: building the pool, its keys and an administrator's reset. */
class KeyPoolTest {

    private static final String K0 = "sk-proj-AAAAaaaaBBBBbbbbCCCCcccc0000";
    private static final String K1 = "sk-proj-DDDDddddEEEEeeeeFFFFffff1111";
    private static final String K2 = "sk-proj-GGGGggggHHHHhhhhIIIIiiii2222";

    private final MutableClock clock = MutableClock.atFixedStart();

    private KeyPool pool(List<String> secrets) {
        return new KeyPool("openai", secrets, clock, PoolSettings.defaults(), clock::advance,
                LocalKeyStateStore.INSTANCE);
    }

    @Test
    void keysKeepTheirConfiguredOrderAndIndex() {
        KeyPool pool = pool(List.of(K0, K1, K2));

        assertThat(pool.keys()).extracting(Key::index).containsExactly(0, 1, 2);
        assertThat(pool.keys()).extracting(Key::secret).containsExactly(K0, K1, K2);
        assertThat(pool).hasToString("KeyPool[openai, 3 keys]");
    }

    @Test
    void aNewPoolHasEveryKeyValid() {
        KeyPool pool = pool(List.of(K0, K1, K2));

        assertThat(pool.snapshot()).extracting(KeySnapshot::state)
                .containsExactly(KeyState.VALID, KeyState.VALID, KeyState.VALID);
        assertThat(pool.snapshot()).extracting(KeySnapshot::cooldownRemaining)
                .containsOnly(Duration.ZERO);
    }

    @Test
    void blankKeyIsRejectedNamingProviderAndIndexButNotAnyKey() {
        assertThatThrownBy(() -> pool(List.of(K0, K1, "   ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openai")
                .hasMessageContaining("index 2")
                .message().doesNotContain(K0).doesNotContain(K1);
    }

    @Test
    void emptyKeyIsRejectedNamingItsIndex() {
        assertThatThrownBy(() -> pool(List.of(K0, "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openai")
                .hasMessageContaining("index 1")
                .message().doesNotContain(K0);
    }

    @Test
    void missingKeyEntryIsRejectedNamingItsIndex() {
        assertThatThrownBy(() -> pool(Arrays.asList(null, K1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openai")
                .hasMessageContaining("index 0")
                .message().doesNotContain(K1);
    }

    @Test
    void duplicateKeyIsRejectedNamingProviderAndIndexButNotTheKey() {
        assertThatThrownBy(() -> pool(List.of(K0, K1, K0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openai")
                .hasMessageContaining("index 2")
                .message().doesNotContain(K0).doesNotContain(K1)
                // not even a recognisable piece of it
                .doesNotContain("AAAAaaaa");
    }

    @Test
    void emptyKeyListIsRejected() {
        assertThatThrownBy(() -> pool(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openai");
    }

    @Test
    void laterChangesToTheConfiguredListDoNotChangeThePool() {
        List<String> secrets = new java.util.ArrayList<>(List.of(K0, K1));
        KeyPool pool = pool(secrets);

        secrets.add(K2);

        assertThat(pool.keys()).hasSize(2);
        assertThatThrownBy(() -> pool.keys().add(null)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void resetBringsACoolingKeyBackAtOnce() {
        KeyPool pool = pool(List.of(K0, K1));
        KeyWalk walk = pool.walk(null);
        Key key = walk.next();
        walk.record(key, 429, KeyVerdict.coolDown(Duration.ofMinutes(10)));

        assertThat(pool.reset(0)).isTrue();

        assertThat(pool.snapshot().get(0).state()).isEqualTo(KeyState.VALID);
        assertThat(pool.walk(null).next()).isSameAs(key);
    }

    @Test
    void resetOfAValidKeyReportsNoChange() {
        KeyPool pool = pool(List.of(K0, K1));

        assertThat(pool.reset(1)).isFalse();
        assertThat(pool.snapshot().get(1).state()).isEqualTo(KeyState.VALID);
    }

    @Test
    void resetTouchesOnlyTheKeyItNames() {
        KeyPool pool = pool(List.of(K0, K1));
        KeyWalk walk = pool.walk(null);
        walk.record(walk.next(), 401, KeyVerdict.DISABLE);
        walk.record(walk.next(), 401, KeyVerdict.DISABLE);

        pool.reset(1);

        assertThat(pool.snapshot()).extracting(KeySnapshot::state)
                .containsExactly(KeyState.DISABLED, KeyState.VALID);
    }
}
