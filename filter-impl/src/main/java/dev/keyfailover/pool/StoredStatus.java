package dev.keyfailover.pool;

import java.time.Duration;
import java.time.Instant;

/**
 * A {@link KeyStatus} as a shared store keeps it: one short line of text,
 * {@code STATE;until;recheckMillis;probeLease} with instants in epoch milliseconds and {@code -}
 * for none. Text, so that any cache compares and ships it the same way, and an operator can read
 * an entry; it never holds a key.
 */
final class StoredStatus {

    private StoredStatus() {
    }

    static String encode(KeyStatus status) {
        return status.state().name() + ';' + millis(status.until()) + ';'
                + (status.recheckInterval() == null ? "-" : Long.toString(status.recheckInterval().toMillis())) + ';'
                + millis(status.probeLease());
    }

    /** The status in a stored line; VALID for none, or for a line it cannot read. */
    static KeyStatus decode(String line) {
        if (line == null) {
            return KeyStatus.VALID;
        }
        String[] parts = line.split(";", -1);
        if (parts.length != 4) {
            return KeyStatus.VALID;
        }
        try {
            KeyState state = KeyState.valueOf(parts[0]);
            if (state == KeyState.VALID) {
                return KeyStatus.VALID;
            }
            return new KeyStatus(state, instant(parts[1]),
                    parts[2].equals("-") ? null : Duration.ofMillis(Long.parseLong(parts[2])), instant(parts[3]));
        } catch (IllegalArgumentException e) {
            return KeyStatus.VALID;
        }
    }

    private static String millis(Instant instant) {
        return instant == null ? "-" : Long.toString(instant.toEpochMilli());
    }

    private static Instant instant(String millis) {
        return millis.equals("-") ? null : Instant.ofEpochMilli(Long.parseLong(millis));
    }
}
