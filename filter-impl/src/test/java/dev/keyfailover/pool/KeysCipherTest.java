package dev.keyfailover.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.junit.jupiter.api.Test;

/** behaviour.md §14 (across nodes): keys added at run time travel sealed with AES-256-GCM under keysSecret. */
class KeysCipherTest {

    private static final String SECRET = "keys-secret-0123456789abcdef0123456789";
    private static final String OTHER_SECRET = "keys-secret-9876543210fedcba9876543210";
    private static final String KEY = "sk-run-time-added-key-000000000001";

    private final KeysCipher cipher = KeysCipher.of(SECRET);

    @Test
    void aSealedKeyOpensWithItsLabelOnANodeWithTheSameSecret() throws Exception {
        String sealed = cipher.seal("openai", KEY, "team a");

        KeysCipher.Opened opened = KeysCipher.of(SECRET).open("openai", KeyFingerprint.digest(KEY), sealed);

        assertThat(opened.key()).isEqualTo(KEY);
        assertThat(opened.label()).isEqualTo("team a");
        assertThat(opened.toString()).doesNotContain(KEY);
        assertThat(sealed).doesNotContain(KEY).doesNotContain("team a");
    }

    @Test
    void aWrongSecretFailsCleanlyNamingTheFingerprintOnly() {
        String sealed = cipher.seal("openai", KEY, "");

        assertThatThrownBy(() -> KeysCipher.of(OTHER_SECRET).open("openai", KeyFingerprint.digest(KEY), sealed))
                .isInstanceOf(KeysCipher.Unreadable.class)
                .hasMessageContaining(KeyFingerprint.of(KEY))
                .hasMessageContaining("another keysSecret")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY).doesNotContain(OTHER_SECRET));
    }

    @Test
    void everyEntryHasANonceOfItsOwn() {
        byte[] first = Base64.getDecoder().decode(cipher.seal("openai", KEY, ""));
        byte[] second = Base64.getDecoder().decode(cipher.seal("openai", KEY, ""));

        assertThat(java.util.Arrays.copyOf(first, 12)).isNotEqualTo(java.util.Arrays.copyOf(second, 12));
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void aChangedEntryIsDetected() {
        byte[] sealed = Base64.getDecoder().decode(cipher.seal("openai", KEY, ""));
        sealed[sealed.length / 2] ^= 1;
        String tampered = Base64.getEncoder().withoutPadding().encodeToString(sealed);

        assertThatThrownBy(() -> cipher.open("openai", KeyFingerprint.digest(KEY), tampered))
                .isInstanceOf(KeysCipher.Unreadable.class);
    }

    @Test
    void anEntryMovedToAnotherKeyOrRouteDoesNotOpen() {
        String sealed = cipher.seal("openai", KEY, "");

        assertThatThrownBy(() -> cipher.open("anthropic", KeyFingerprint.digest(KEY), sealed))
                .isInstanceOf(KeysCipher.Unreadable.class);
        assertThatThrownBy(() -> cipher.open("openai", KeyFingerprint.digest("sk-another-key-0000000000002"), sealed))
                .isInstanceOf(KeysCipher.Unreadable.class);
        assertThatThrownBy(() -> cipher.open("openai", KeyFingerprint.digest(KEY), "not base64!"))
                .isInstanceOf(KeysCipher.Unreadable.class);
    }

    @Test
    void aShortSecretIsRefusedWithoutBeingShown() {
        assertThatThrownBy(() -> KeysCipher.of("short-secret-of-31-characters-x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 32 characters")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("short-secret"));
        assertThatThrownBy(() -> KeysCipher.of("a secret with spaces in it, 32+ chars"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theChangeListKeepsDigestsAndSealedKeysOnly() {
        String digest = KeyFingerprint.digest(KEY);
        KeyChanges changes = KeyChanges.NONE.add(digest, cipher.seal("openai", KEY, "")).disable(digest, true)
                .withVersion(3);

        KeyChanges read = KeyChanges.parse(changes.text());

        assertThat(read.version()).isEqualTo(3);
        assertThat(read.added()).isEqualTo(changes.added());
        assertThat(read.disabled()).containsExactly(digest);
        assertThat(changes.text()).doesNotContain(KEY);
        KeyChanges removed = read.remove(digest);
        assertThat(removed.added()).isEmpty();
        assertThat(removed.disabled()).isEmpty();
        assertThat(removed.removed()).containsExactly(digest);
        assertThat(removed.add(digest, "x").removed()).as("added again").isEmpty();
        assertThatThrownBy(() -> KeyChanges.parse("keyfailover-keys 1 1\nadded " + KEY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
    }
}
