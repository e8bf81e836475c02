package dev.keyfailover.pool;

import java.util.Objects;

/**
 * One key of a pool's list as its sources give it (behaviour.md §14): the secret, where it came
 * from, and an administrator's label. The secret is read back only inside the pool;
 * {@link #toString()} shows the hint only.
 */
public final class KeyEntry {

    private final String value;
    private final KeySource source;
    private final String label;

    /** @param label what an administrator calls it; {@code null} or empty when nothing */
    public KeyEntry(String key, KeySource source, String label) {
        this.value = Objects.requireNonNull(key, "key");
        this.source = Objects.requireNonNull(source, "source");
        this.label = label == null ? "" : label;
    }

    /** Entries of one source, in order. */
    public static java.util.List<KeyEntry> all(java.util.List<String> keys, KeySource source) {
        java.util.List<KeyEntry> entries = new java.util.ArrayList<>(keys.size());
        for (String key : keys) {
            entries.add(new KeyEntry(key, source, ""));
        }
        return entries;
    }

    String secret() {
        return value;
    }

    public KeySource source() {
        return source;
    }

    public String label() {
        return label;
    }

    /** The fingerprint of the key (behaviour.md §14). */
    public String fingerprint() {
        return KeyFingerprint.of(value);
    }

    /** The key's whole SHA-256 in hex, as the shared store names it (behaviour.md §12). */
    public String digest() {
        return KeyFingerprint.digest(value);
    }

    @Override
    public String toString() {
        return "KeyEntry[" + KeyHint.of(value) + " " + source.tag() + "]";
    }
}
