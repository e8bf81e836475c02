package dev.keyfailover.pool;

/**
 * What may be said of a key outside the pool: its position in the configured list and its masked
 * hint. Listeners, logs and meters get this, never a {@link Key}.
 *
 * @param index the key's position in the configured list, from 0
 * @param hint the masked hint, safe to show anywhere
 */
public record KeyId(int index, String hint) {

    @Override
    public String toString() {
        return "#" + index + " " + hint;
    }
}
