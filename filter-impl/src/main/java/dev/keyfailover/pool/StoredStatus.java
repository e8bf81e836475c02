package dev.keyfailover.pool;

import java.time.Duration;
import java.time.Instant;

/**
 * A {@link KeyStatus} as a shared store keeps it, with its version: one short line of text,
 * {@code STATE;until;recheckMillis;probeLease;version} with instants in epoch milliseconds and
 * {@code -} for none. Text, so that any cache compares and ships it the same way, and an operator
 * can read an entry; it never holds a key.
 *
 * <p>The version grows by one with every write of the entry (each one a compare-and-set from the
 * version before), so of two states of one entry the one with the higher version is the newer:
 * a node's view adopts only those, whatever order the cache's events and its own writes reach it in.
 *
 * @param version 0 for an entry never written (or a line without a version, as written before
 *     versions existed)
 */
record StoredStatus(KeyStatus status, long version) {

    static final StoredStatus NONE = new StoredStatus(KeyStatus.VALID, 0);

    /** The status that follows this one in the cache. */
    StoredStatus next(KeyStatus changed) {
        return new StoredStatus(changed, version + 1);
    }

    /** Whether a view holding {@code held} takes this: it is not older (the same version is the same write, seen twice). */
    boolean supersedes(StoredStatus held) {
        return version >= held.version;
    }

    String line() {
        return status.state().name() + ';' + millis(status.until()) + ';'
                + (status.recheckInterval() == null ? "-" : Long.toString(status.recheckInterval().toMillis())) + ';'
                + millis(status.probeLease()) + ';' + version;
    }

    /** The status in a stored line; {@link #NONE} for none, VALID for a line it cannot read. */
    static StoredStatus parse(String line) {
        if (line == null) {
            return NONE;
        }
        String[] parts = line.split(";", -1);
        if (parts.length != 4 && parts.length != 5) {
            return NONE;
        }
        try {
            long version = parts.length == 5 ? Long.parseLong(parts[4]) : 0;
            KeyState state = KeyState.valueOf(parts[0]);
            if (state == KeyState.VALID) {
                return new StoredStatus(KeyStatus.VALID, version);
            }
            return new StoredStatus(new KeyStatus(state, instant(parts[1]),
                    parts[2].equals("-") ? null : Duration.ofMillis(Long.parseLong(parts[2])), instant(parts[3])),
                    version);
        } catch (IllegalArgumentException e) {
            return NONE;
        }
    }

    private static String millis(Instant instant) {
        return instant == null ? "-" : Long.toString(instant.toEpochMilli());
    }

    private static Instant instant(String millis) {
        return millis.equals("-") ? null : Instant.ofEpochMilli(Long.parseLong(millis));
    }
}
