package dev.keyfailover.pool;

/**
 * What may be said of a key outside the pool: its number, its masked hint and its fingerprint.
 * Listeners, logs and meters get this, never a {@link Key}.
 *
 * @param index the key's own number in its pool ({@link Key#index()}): its position in the list it was
 *     first configured in, which its position now may no longer be (behaviour.md §14)
 * @param hint the masked hint, safe to show anywhere
 * @param fingerprint the first 16 hex digits of the key's SHA-256, as the status and the admin API name it
 */
public record KeyId(int index, String hint, String fingerprint) {

    /** As log lines name the key: as the status page and the admin API show it, whatever its position now. */
    @Override
    public String toString() {
        return hint + " (" + fingerprint + ")";
    }
}
