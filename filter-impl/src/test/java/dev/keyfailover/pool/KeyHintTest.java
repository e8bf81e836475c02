package dev.keyfailover.pool;

import dev.keyfailover.settings.PoolSettings;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.testing.MutableClock;

/** behaviour.md §7 (used by section 1): a key appears only as a masked hint, never as its secret. */
class KeyHintTest {

    private static final String LONG_KEY = "sk-proj-Zk3qLm8Rv2Tn6Wx1Yb5Hc9Jd4Fg7Ps0Ua2Ie6Oo9xQa";

    @Test
    void longKeyShowsItsFirstAndLastFourCharacters() {
        assertThat(KeyHint.of(LONG_KEY)).isEqualTo("sk-p…9xQa");
    }

    @Test
    void anthropicStyleKeyShowsItsFirstAndLastFourCharacters() {
        String key = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-abcdefghijkl-WXYZ";

        assertThat(KeyHint.of(key)).isEqualTo("sk-a…WXYZ");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "a", "abcd", "sk-12345", "sk-1234567", "abcdefghijk"})
    void shortKeysAreFullyMasked(String secret) {
        assertThat(secret).hasSizeLessThan(12);
        assertThat(KeyHint.of(secret)).isEqualTo("****");
    }

    @Test
    void missingKeyIsFullyMasked() {
        assertThat(KeyHint.of(null)).isEqualTo("****");
    }

    @Test
    void keyOfTwelveCharactersIsNoLongerFullyMaskedButShowsFewCharacters() {
        String secret = "abcdefghijkl";

        String hint = KeyHint.of(secret);

        assertThat(hint).isNotEqualTo("****").contains("…").doesNotContain(secret);
        String[] ends = hint.split("…");
        assertThat(ends).hasSize(2);
        assertThat(secret).startsWith(ends[0]).endsWith(ends[1]);
        assertThat(ends[0].length() + ends[1].length()).isLessThan(secret.length() / 2);
    }

    @Test
    void hintOfAnyLengthNeverRevealsMoreThanFourCharactersAtEachEnd() {
        StringBuilder secret = new StringBuilder();
        for (int length = 1; length <= 80; length++) {
            secret.append((char) ('A' + length % 26));
            String s = secret.toString();

            String hint = KeyHint.of(s);

            if (hint.equals("****")) {
                continue;
            }
            String[] ends = hint.split("…");
            assertThat(ends).as("length %d", length).hasSize(2);
            assertThat(ends[0]).as("length %d", length).hasSizeLessThanOrEqualTo(4);
            assertThat(ends[1]).as("length %d", length).hasSizeLessThanOrEqualTo(4);
            assertThat(s).startsWith(ends[0]).endsWith(ends[1]);
            assertThat(hint).as("length %d", length).doesNotContain(s);
        }
    }

    @Test
    void keyToStringShowsIndexHintAndStateButNeverTheSecret() {
        MutableClock clock = MutableClock.atFixedStart();
        KeyPool pool = new KeyPool("openai", List.of(LONG_KEY), clock, PoolSettings.defaults(), clock::advance,
                LocalKeyStateStore.INSTANCE);
        Key key = pool.keys().get(0);

        assertThat(key.toString()).contains("0").contains("sk-p…9xQa").contains("VALID").doesNotContain(LONG_KEY);
        assertThat(key.hint()).isEqualTo("sk-p…9xQa");
    }

    @Test
    void snapshotsAndPoolToStringNeverContainTheSecret() {
        MutableClock clock = MutableClock.atFixedStart();
        String other = "sk-proj-Qq1Ww2Ee3Rr4Tt5Yy6Uu7Ii8Oo9Pp0Aa1Ss2Dd3Ff4";
        KeyPool pool = new KeyPool("openai", List.of(LONG_KEY, other), clock, PoolSettings.defaults(),
                clock::advance, LocalKeyStateStore.INSTANCE);
        KeyWalk walk = pool.walk(null);
        walk.record(walk.next(), 429, KeyVerdict.coolDown(Duration.ofSeconds(30)));
        walk.record(walk.next(), 401, KeyVerdict.DISABLE);

        List<KeySnapshot> snapshot = pool.snapshot();

        assertThat(snapshot).extracting(KeySnapshot::hint).containsExactly("sk-p…9xQa", "sk-p…3Ff4");
        for (String secret : List.of(LONG_KEY, other)) {
            assertThat(snapshot.toString()).doesNotContain(secret);
            assertThat(pool.toString()).doesNotContain(secret);
            assertThat(pool.keys().toString()).doesNotContain(secret);
            assertThat(walk.toString()).doesNotContain(secret);
        }
        assertThat(pool.toString()).contains("openai");
    }
}
